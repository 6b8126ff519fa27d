"""The pause journal's rules, in CPython: merging (duplicates, conflicts), the cap, what a damaged
or deeply nested journal becomes, and that validation and rendering agree.

Expected numbers come from the cases' own arithmetic (entries held + entries new, minus the cap),
never from the module's output.
"""

import html
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.web import journal
from calculators.web.journal import MAX_DEPTH, MAX_ENTRIES


def entry(n: int, **changes: str) -> dict:
    """A complete entry; `n` orders them (a larger n is saved later)."""
    made = journal.make_entry(
        f"id-{n}", f"2025-01-01T00:00:{n % 60:02d}.{n:04d}Z", {"wrong_if": f"idea {n} fails"}, "not-ready", f"entry {n}"
    )
    made.update(changes)
    return made


def entries(first: int, count: int) -> list[dict]:
    return [entry(n) for n in range(first, first + count)]


def act(stored: list | str | None, **request) -> dict:
    text = journal.dump(stored) if isinstance(stored, list) else stored
    return journal.respond({"stored": text, **request})


def ids(stored_text: str) -> set[str]:
    return {e["id"] for e in json.loads(stored_text)["entries"]}


# --- merging ---------------------------------------------------------------------------------------


def test_merge_counts_added_duplicates_and_conflicts():
    existing = entries(0, 3)
    incoming = [
        entry(10),  # new
        entry(1),  # same id, same content: kept once
        entry(2, headline="edited elsewhere"),  # same id, different content: a conflict
        entry(10),  # repeated in the file: kept once
        entry(11),  # new
    ]
    outcome = journal.merge(existing, incoming)
    assert (outcome.added, outcome.duplicates, outcome.conflicts, outcome.refused) == (2, 2, 1, 0)
    assert {e["id"] for e in outcome.entries} == {"id-0", "id-1", "id-2", "id-10", "id-11"}
    kept = next(e for e in outcome.entries if e["id"] == "id-2")
    assert kept["headline"] == "entry 2", "the entry already in the journal is the one kept"
    assert [e["saved_at"] for e in outcome.entries] == sorted((e["saved_at"] for e in outcome.entries), reverse=True)


def test_import_message_names_every_count():
    existing = entries(0, 3)
    file_entries = [entry(10), entry(1), entry(2, headline="other"), {"foo": "bar"}]
    response = act(existing, action="import", text=json.dumps(file_entries))
    assert response["message"] == (
        "Imported 1 entry; 1 was already in the journal; 1 has the id of an entry already in the journal but "
        "different content; the one already in the journal was kept; 1 could not be read."
    )
    assert ids(response["write"]) == {"id-0", "id-1", "id-2", "id-10"}


def test_clean_import_and_reimport():
    first = act(None, action="import", text=journal.dump(entries(0, 3)))
    assert first["message"] == "Imported 3 entries."
    again = act(first["write"], action="import", text=journal.dump(entries(0, 3)))
    assert again["message"] == "Imported 0 entries; 3 were already in the journal."
    assert again["write"] is None, "nothing changed, so nothing is written (a full storage cannot refuse it)"


def test_csv_import_round_trip_counts_rejected_rows():
    text = journal.to_csv(entries(0, 2)) + "only,three,cells\r\n"
    response = act(None, action="import", text=text)
    assert response["message"] == "Imported 2 entries; 1 could not be read."
    assert json.loads(response["write"])["entries"] == sorted(entries(0, 2), key=lambda e: e["saved_at"], reverse=True)


# --- the cap: refuse to go over it, all or nothing, with the numbers -------------------------------


def test_import_that_would_pass_the_cap_adds_nothing_and_says_why():
    held, new = 995, 10
    response = act(entries(0, held), action="import", text=journal.dump(entries(held, new) + [entry(3)]))
    total = held + new
    assert response["write"] is None
    assert response["count"] == held
    message = response["message"]
    assert message.startswith(f"Nothing was imported: the file has {new} new entries and the journal holds {held}")
    assert f"which would make {total}, over the limit of {MAX_ENTRIES}" in message
    assert f"(at least {total - MAX_ENTRIES})" in message
    assert "Export the journal" in message
    assert message.endswith("Also in the file: 1 was already in the journal.")


def test_import_up_to_the_cap_exactly_is_allowed():
    response = act(entries(0, MAX_ENTRIES - 5), action="import", text=journal.dump(entries(MAX_ENTRIES, 5)))
    assert response["message"] == "Imported 5 entries."
    assert len(ids(response["write"])) == MAX_ENTRIES


def test_saving_a_check_at_the_cap_is_refused_with_the_numbers():
    full = entries(0, MAX_ENTRIES)
    response = act(full, action="add", entry=entry(5000))
    assert response["write"] is None and response["count"] == MAX_ENTRIES
    assert response["message"].startswith(
        f"Not saved: the journal already holds {MAX_ENTRIES} entries, and its limit is {MAX_ENTRIES}."
    )
    assert "Export the journal" in response["message"]
    # One fewer, and the same check is saved.
    response = act(full[1:], action="add", entry=entry(5000))
    assert response["message"] == "Saved to your journal." and "id-5000" in ids(response["write"])


def test_a_journal_over_the_cap_is_shown_whole_and_cannot_grow():
    stored = entries(0, MAX_ENTRIES + 7)  # written by something else: never cut on reading
    loaded, problem = journal.load(journal.dump(stored))
    assert len(loaded) == MAX_ENTRIES + 7 and problem == ""
    response = act(stored, action="import", text=journal.dump([entry(9999)]))
    assert response["write"] is None
    assert f"would make {MAX_ENTRIES + 8}" in response["message"] and "(at least 8)" in response["message"]


# --- damaged storage ---------------------------------------------------------------------------


def test_an_entry_without_its_optional_fields_is_shown_not_fatal():
    bare = {"id": "bare-1", "saved_at": "2025-02-03T04:05:06Z", "verdict": "ready"}  # no headline
    assert journal.valid(bare)
    response = act([bare, entry(1)], action="load")
    assert response["ok"] and response["count"] == 2 and response["write"] is None
    assert 'data-entry-id="bare-1"' in response["html"]


def test_unreadable_entries_are_kept_aside_and_the_rest_shown():
    raw = json.dumps([entry(1), {"foo": 1}, entry(2, verdict="maybe")])
    response = act(raw, action="load")
    assert response["count"] == 1
    assert response["keep_aside"] is True and ids(response["write"]) == {"id-1"}
    assert response["message"] == "2 saved journal entries could not be read and were kept aside, untouched; " + (
        "the rest are below."
    )
    # If storage cannot take the copy, nothing may claim it was kept aside.
    assert "kept aside, untouched" not in response["if_full"]
    assert "could not be kept aside" in response["if_full"] and "storage for this site is full" in response["if_full"]


def test_any_change_to_a_damaged_journal_keeps_it_aside_first_except_clear():
    raw = json.dumps([entry(1), {"foo": 1}])
    added = act(raw, action="add", entry=entry(2))
    assert added["keep_aside"] is True and ids(added["write"]) == {"id-1", "id-2"}
    assert added["message"].startswith("Saved to your journal. 1 saved journal entry could not be read and was kept")
    assert added["if_full"].startswith("Not saved. ") and "kept aside, untouched" not in added["if_full"]
    cleared = act(raw, action="clear")  # the visitor asked for everything to go
    assert cleared["keep_aside"] is False and json.loads(cleared["write"])["entries"] == []


@pytest.mark.parametrize("raw", ["{not json", '{"foo": 1}', "42"])
def test_a_wholly_unreadable_journal(raw):
    response = act(raw, action="load")
    assert response["count"] == 0 and response["keep_aside"] is True
    assert response["message"].startswith("The saved journal could not be read (")
    assert response["message"].endswith("It was kept aside, untouched, and a new journal started.")


def test_storage_full_messages_say_so_and_offer_a_way_out():
    for request, start in (
        ({"action": "add", "entry": entry(9)}, "Not saved: "),
        ({"action": "import", "text": journal.dump([entry(9)])}, "Nothing was imported: "),
        ({"action": "delete", "id": "id-1"}, "The entry was not deleted: "),
    ):
        response = act(entries(0, 3), **request)
        assert response["write"] is not None
        assert response["if_full"].startswith(start + "this browser's storage for this site is full"), request
        assert response["html_as_stored"] == journal.render(entries(0, 3))


def test_actions_that_change_nothing_write_nothing():
    held = entries(0, 3)
    assert act(held, action="load")["write"] is None
    assert act(held, action="delete", id="no-such-id")["write"] is None
    assert act(held, action="add", entry=entry(1))["write"] is None  # already there
    assert act(held, action="import", text="not a journal")["write"] is None


def test_response_to_unknown_or_export():
    assert act([], action="explode")["ok"] is False
    exported = act(entries(0, 2), action="export", format="csv")
    assert exported["message"] == "Exported 2 entries as CSV."
    assert exported["text"].splitlines()[0] == ",".join(journal.FIELDS)


# --- deep nesting ------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_depth_counts_brackets_outside_strings():
    assert journal.nesting_depth('["[[[[", {"a": "}}]]"}]') == 2
    assert journal.nesting_depth(r'["a \"[[[" , [[]]]') == 3
    assert journal.nesting_depth(nested(7)) == 7


def test_deep_nesting_is_refused_with_a_message():
    assert journal.read_stored(nested(MAX_DEPTH)).whole == ""  # at the limit: read (and found not a journal entry)
    for depth in (MAX_DEPTH + 1, 200_000):
        found = journal.read_stored(nested(depth))
        assert found.whole == f"it is nested more than {MAX_DEPTH} levels deep, which no journal from this site is"
        response = act(nested(depth), action="import", text=nested(depth))
        assert response["message"].startswith("This file could not be read as a journal (it is nested more than")
        assert response["keep_aside"] is True  # the stored text is kept aside too


def test_recursion_error_is_caught(monkeypatch):
    def too_deep(text):
        raise RecursionError

    monkeypatch.setattr(journal.json, "loads", too_deep)
    with pytest.raises(journal.Unreadable, match="nested too deeply"):
        journal.parse_json("[]")


# --- validation and rendering agree ------------------------------------------------------------

CELL = st.one_of(st.text(max_size=12), st.integers(), st.none(), st.text(min_size=1, max_size=4).map(lambda s: s * 700))
ENTRIES = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=8), st.integers()),
        "saved_at": st.one_of(st.text(max_size=30), st.none()),
        "verdict": st.sampled_from((*journal.VERDICTS, "", "Ready", "maybe")),
        **{name: CELL for name in journal.FIELDS[3:]},
        "extra": st.text(max_size=3),
    },
)


@given(st.lists(ENTRIES, max_size=6))
def test_valid_and_render_agree(candidates):
    good = [e for e in candidates if journal.valid(e)]
    markup = journal.render(good)  # never raises for what valid() accepted
    for e in good:
        assert f'data-entry-id="{html.escape(e["id"])}"' in markup
        if e.get("headline"):
            assert html.escape(e["headline"]) in markup
    # Reading storage shows exactly what valid() accepts, and counts the rest.
    found = journal.read_stored(json.dumps(candidates))
    assert found.entries == good and found.unreadable == len(candidates) - len(good)
    response = act(json.dumps(candidates), action="load")
    assert response["ok"] and response["count"] == len(good)


@given(st.lists(st.integers(0, 40), max_size=30), st.lists(st.integers(0, 40), max_size=30))
def test_merge_accounts_for_every_incoming_entry(held, incoming):
    existing = list({n: entry(n) for n in held}.values())
    sent = [entry(n, headline="changed") if n % 7 == 0 else entry(n) for n in incoming]
    outcome = journal.merge(existing, sent)
    assert outcome.added + outcome.duplicates + outcome.conflicts + outcome.refused == len(sent)
    assert len(outcome.entries) == len(existing) + outcome.added
    assert {e["id"] for e in existing} <= {e["id"] for e in outcome.entries}
