"""The pause journal in Chromium: actions issued while an import runs, in one tab and in two,
lose nothing; a full storage changes nothing and says so; a damaged or deeply nested journal is
kept aside; the journal says what storage holds when the runtime is down; focus after a delete.

Every wait is on observable state (the stored JSON, the list, the status text), with the page's
own start-up budget (BOOT_MS) as the limit; never a fixed sleep.
"""

import json

import pytest
from playwright.sync_api import expect

from calculators.web import journal
from tests.browser_support import BOOT_MS, JOURNAL_KEY, KEPT_ASIDE_PREFIX, STORAGE, Watch, journal_storage, wait_until

pytestmark = pytest.mark.browser

PAUSE = '[data-widget="pause"]'
STATUS = f"{PAUSE} [data-journal-status]"
ITEMS = f'{PAUSE} [data-out="journal"] li'
FULL = "storage for this site is full"

# Seeds localStorage once per context (before the page's scripts run), marked by a key of its own
# so that a second page in the same context, which shares the storage, does not seed it again.
SEED = """(() => { try {
  if (localStorage.getItem("test-seeded") === null) {
    localStorage.setItem("test-seeded", "1");
    for (const [key, value] of Object.entries(%s)) localStorage.setItem(key, value);
    if (%s) (%s)();
  }
} catch (error) { /* about:blank has no storage */ } })"""

# Fills this origin's localStorage up to its quota: big strings, then smaller and smaller ones,
# until not even a few characters fit. Returns how many characters it wrote.
FILL_QUOTA = """() => {
  let size = 1 << 20, n = 0, written = 0;
  while (size >= 4) {
    try { localStorage.setItem(`filler-${n}`, "x".repeat(size)); n += 1; written += size; }
    catch (error) { size = Math.floor(size / 2); }
  }
  return written;
}"""

FREE_FILLER = """() => Object.keys(localStorage).filter((key) => key.startsWith("filler-"))
  .forEach((key) => localStorage.removeItem(key))"""

STORAGE_REFUSES = """() => { try { localStorage.setItem("probe", "x".repeat(64)); localStorage.removeItem("probe");
  return false; } catch (error) { return error.name; } }"""


def entry(n: int, prefix: str = "seed") -> dict:
    return journal.make_entry(
        f"{prefix}-{n}",
        f"2025-{1 + n % 12:02d}-01T00:00:{n % 60:02d}.{n:04d}Z",
        {"wrong_if": f"{prefix} idea {n} fails", "reason_to_wait": "the weekly close"},
        "not-ready",
        f"{prefix} entry {n}",
    )


@pytest.fixture
def new_context(new_context):
    """conftest's contexts, optionally seeded with stored entries or with storage filled to its quota."""

    def make(stored: dict | None = None, fill_quota: bool = False, **options):
        context = new_context(**options)
        if stored is not None or fill_quota:
            script = SEED % (json.dumps(stored or {}), json.dumps(fill_quota), FILL_QUOTA)
            context.add_init_script(script=script + "();")
        return context

    return make


def open_pause(context, origin, watch: Watch | None = None):
    page = context.new_page()
    (watch or Watch(accept_dialogs=True)).attach(page)
    page.goto(f"{origin}/pause-protocol/")
    page.wait_for_selector(f'{PAUSE}[data-runtime-state="ready"]')
    return page


def stored_entries(page) -> list[dict]:
    return journal_storage(page).get("entries", [])


def wait_stored(page, count: int, status: str | None = None, message: str = "the journal to settle"):
    """Wait until storage holds `count` entries (and the page's journal status reads `status`)."""
    seen = {}

    def settled():
        seen["count"], seen["status"] = len(stored_entries(page)), page.locator(STATUS).inner_text()
        return seen["count"] == count and (status is None or seen["status"] == status)

    try:
        wait_until(settled, BOOT_MS / 1000, message=message, page=page)
    except AssertionError as error:
        raise AssertionError(f"{error}: wanted {count} entries and {status!r}, last saw {seen}") from None


def submit_check(page, wrong_if: str):
    """A check with no invalidation price: verdict "not-ready", saved to the journal on submit."""
    widget = page.locator(PAUSE)
    widget.locator('[name="wrong_if"]').fill(wrong_if)
    widget.locator('[name="reason_to_wait"]').fill("The trend is unclear this week")
    widget.locator('[name="invalidation_price"]').fill("")
    widget.get_by_role("button", name="Check my answers").click()


def import_file(page, path):
    page.locator(f'{PAUSE} input[type="file"][data-action="import"]').set_input_files(str(path))


def click_delete(page, entry_id: str):
    page.locator(f'{PAUSE} [data-action="delete"][data-id="{entry_id}"]').click()


def write_journal_file(tmp_path, name: str, entries: list[dict]):
    path = tmp_path / name
    path.write_text(journal.dump(entries), encoding="utf-8")
    return path


def assert_contents(page, expected: list[dict], new_wrong_if: tuple[str, ...] = ()):
    """Storage holds exactly the expected entries (content and all), plus one saved check per
    `new_wrong_if`; the list shows as many entries as storage holds."""
    stored = stored_entries(page)
    by_id = {e["id"]: e for e in stored}
    assert len(by_id) == len(stored), "an entry is stored twice"
    for wanted in expected:
        assert by_id.get(wanted["id"]) == wanted, f"{wanted['id']} lost or changed"
    saved = [e for e in stored if e["id"] not in {w["id"] for w in expected}]
    assert sorted(e["wrong_if"] for e in saved) == sorted(new_wrong_if)
    expect(page.locator(ITEMS)).to_have_count(len(stored))


# --- actions while an import runs --------------------------------------------------------------


def test_one_tab_actions_during_an_import_lose_nothing(new_context, origin, tmp_path):
    seeded = [entry(n) for n in range(5)]
    context = new_context({JOURNAL_KEY: journal.dump(seeded)})
    watch = Watch(accept_dialogs=True)
    page = open_pause(context, origin, watch)
    expect(page.locator(ITEMS)).to_have_count(5)

    big = [entry(n, "file") for n in range(900)]
    import_file(page, write_journal_file(tmp_path, "big.json", big))
    click_delete(page, seeded[1]["id"])  # queued behind the import: applied to what it wrote
    submit_check(page, "One tab: a close under the range low")
    wait_stored(page, 5 - 1 + 900 + 1, "Saved to your journal.", "import, delete and save to all land")
    survivors = [e for e in seeded if e["id"] != seeded[1]["id"]] + big
    assert_contents(page, survivors, ("One tab: a close under the range low",))

    # An import, then "Delete all" while it runs: the journal ends empty (the clear came last).
    more = [entry(n, "more") for n in range(90)]
    import_file(page, write_journal_file(tmp_path, "more.json", more))
    page.locator(f'{PAUSE} [data-action="clear"]').click()
    wait_stored(page, 0, "Journal cleared.", "the clear after the import")
    expect(page.locator(ITEMS)).to_have_count(0)
    assert watch.errors == []


def test_two_tabs_actions_during_an_import_lose_nothing(new_context, origin, tmp_path):
    seeded = [entry(n) for n in range(5)]
    context = new_context({JOURNAL_KEY: journal.dump(seeded)})
    watch = Watch(accept_dialogs=True)
    first = open_pause(context, origin, watch)
    second = open_pause(context, origin, watch)
    for page in (first, second):
        expect(page.locator(ITEMS)).to_have_count(5)

    big = [entry(n, "file") for n in range(900)]
    import_file(first, write_journal_file(tmp_path, "big.json", big))
    click_delete(second, seeded[2]["id"])  # the other tab waits for the import (the journal lock)
    submit_check(second, "Two tabs: funding flips negative")
    wait_stored(second, 5 - 1 + 900 + 1, "Saved to your journal.", "the other tab's delete and save")
    expect(first.locator(STATUS)).to_have_text("Imported 900 entries.")
    survivors = [e for e in seeded if e["id"] != seeded[2]["id"]] + big
    for page in (first, second):  # the first tab redraws from the storage event
        assert_contents(page, survivors, ("Two tabs: funding flips negative",))

    # An import in one tab, "Delete all" in the other while it runs: empty, in both.
    more = [entry(n, "more") for n in range(90)]
    import_file(first, write_journal_file(tmp_path, "more.json", more))
    second.locator(f'{PAUSE} [data-action="clear"]').click()
    wait_stored(second, 0, "Journal cleared.", "the other tab's clear after the import")
    for page in (first, second):
        expect(page.locator(ITEMS)).to_have_count(0)
    assert watch.errors == []


# --- a full storage ----------------------------------------------------------------------------


def test_full_storage_changes_nothing_and_says_so(new_context, origin, tmp_path):
    seeded = [entry(n) for n in range(3)]
    context = new_context({JOURNAL_KEY: journal.dump(seeded)})
    watch = Watch(accept_dialogs=True)
    page = open_pause(context, origin, watch)
    expect(page.locator(ITEMS)).to_have_count(3)
    assert page.evaluate(FILL_QUOTA) > 0
    assert page.evaluate(STORAGE_REFUSES) == "QuotaExceededError"
    before = page.evaluate("(key) => localStorage.getItem(key)", JOURNAL_KEY)
    listed = page.locator(ITEMS).evaluate_all("(items) => items.map((li) => li.dataset.entryId)")

    submit_check(page, "A save that does not fit")
    expect(page.locator(STATUS)).to_contain_text(f"Not saved: this browser's {FULL}")
    import_file(page, write_journal_file(tmp_path, "one.json", [entry(1, "file")]))
    expect(page.locator(STATUS)).to_contain_text(f"Nothing was imported: this browser's {FULL}")
    assert page.evaluate("(key) => localStorage.getItem(key)", JOURNAL_KEY) == before
    assert page.locator(ITEMS).evaluate_all("(items) => items.map((li) => li.dataset.entryId)") == listed
    assert not [key for key in page.evaluate(STORAGE) if key.startswith(KEPT_ASIDE_PREFIX)]

    # Room made (the filler removed), the same save goes through.
    page.evaluate(FREE_FILLER)
    submit_check(page, "A save that fits now")
    wait_stored(page, 4, "Saved to your journal.")
    assert watch.errors == []


def test_full_storage_never_claims_kept_aside(new_context, origin):
    good = entry(1)
    raw = json.dumps([good, {"foo": 1}])
    context = new_context({JOURNAL_KEY: raw}, fill_quota=True)
    watch = Watch(accept_dialogs=True)
    page = open_pause(context, origin, watch)
    status = page.locator(STATUS)
    expect(status).to_contain_text("could not be kept aside")
    assert FULL in status.inner_text() and "kept aside, untouched" not in status.inner_text()
    expect(page.locator(ITEMS)).to_have_count(1)  # the readable entry is shown
    storage = page.evaluate(STORAGE)
    assert storage[JOURNAL_KEY] == raw, "the damaged journal was changed"
    assert not [key for key in storage if key.startswith(KEPT_ASIDE_PREFIX)]
    assert watch.errors == []


# --- damaged and deeply nested journals --------------------------------------------------------


def test_a_bad_stored_entry_does_not_wipe_the_journal(new_context, origin):
    bare = {"id": "bare-1", "saved_at": "2025-02-03T04:05:06Z", "verdict": "ready"}  # no headline: shown
    raw = json.dumps([entry(1), bare, {"foo": 1}, dict(entry(2), verdict="maybe")])
    context = new_context({JOURNAL_KEY: raw})
    page = open_pause(context, origin)
    expect(page.locator(STATUS)).to_have_text(
        "2 saved journal entries could not be read and were kept aside, untouched; the rest are below."
    )
    expect(page.locator(ITEMS)).to_have_count(2)
    assert stored_entries(page) == [entry(1), bare]
    kept = {k: v for k, v in page.evaluate(STORAGE).items() if k.startswith(KEPT_ASIDE_PREFIX)}
    assert list(kept.values()) == [raw]


def test_deep_nesting_is_refused_and_the_journal_still_works(new_context, origin, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    context = new_context({JOURNAL_KEY: deep})
    page = open_pause(context, origin)
    status = page.locator(STATUS)
    expect(status).to_have_text(
        f"The saved journal could not be read (it is nested more than {journal.MAX_DEPTH} levels deep, which no "
        "journal from this site is). It was kept aside, untouched, and a new journal started."
    )
    kept = {k: v for k, v in page.evaluate(STORAGE).items() if k.startswith(KEPT_ASIDE_PREFIX)}
    assert list(kept.values()) == [deep]

    path = tmp_path / "deep.json"
    path.write_text(deep, encoding="utf-8")
    import_file(page, path)
    expect(status).to_contain_text("This file could not be read as a journal (it is nested more than")
    submit_check(page, "Still works after a deep file")
    wait_stored(page, 1, "Saved to your journal.")


# --- the runtime down ----------------------------------------------------------------------------


def test_runtime_down_journal_says_what_storage_holds_and_delete_all_works(new_context, origin):
    context = new_context({JOURNAL_KEY: journal.dump([entry(n) for n in range(3)])})
    context.route("**/pyodide.asm.wasm", lambda route: route.abort())
    watch = Watch(accept_dialogs=True)
    page = context.new_page()
    watch.attach(page)
    page.goto(f"{origin}/pause-protocol/")
    page.wait_for_selector(f'{PAUSE}[data-runtime-state="failed"]')
    empty = page.locator(f"{PAUSE} [data-journal] .journal-empty")
    expect(empty).to_contain_text("The journal cannot be shown until the calculator starts")
    expect(empty).to_contain_text("This browser holds 3 saved journal entries; nothing has been deleted.")

    page.locator(f'{PAUSE} [data-action="clear"]').click()
    expect(page.locator(STATUS)).to_have_text("Journal cleared.")
    assert page.evaluate("(key) => localStorage.getItem(key)", JOURNAL_KEY) is None
    expect(empty).to_have_text(journal.EMPTY)
    assert ("confirm", "Delete every entry in your pause journal? This cannot be undone.") in watch.dialogs


# --- focus -----------------------------------------------------------------------------------------

FOCUSED = """() => { const e = document.activeElement;
  if (!e || e === document.body) return "body";
  return e.dataset.id ? `delete:${e.dataset.id}` : (e.classList.contains("journal-title") ? "heading" : e.tagName); }"""


def test_focus_after_keyboard_delete(new_context, origin):
    context = new_context({JOURNAL_KEY: journal.dump([entry(n) for n in range(3)])})
    page = open_pause(context, origin)
    items = page.locator(ITEMS)
    expect(items).to_have_count(3)
    order = items.evaluate_all("(items) => items.map((li) => li.dataset.entryId)")

    def delete_by_keyboard(entry_id: str, remaining: int):
        page.locator(f'{PAUSE} [data-action="delete"][data-id="{entry_id}"]').focus()
        page.keyboard.press("Enter")
        expect(items).to_have_count(remaining)
        expect(page.locator(STATUS)).to_have_text("Entry deleted.")

    delete_by_keyboard(order[1], 2)  # the middle one: focus moves to the next entry's Delete
    assert page.evaluate(FOCUSED) == f"delete:{order[2]}"
    delete_by_keyboard(order[2], 1)  # the last one: to the previous entry's
    assert page.evaluate(FOCUSED) == f"delete:{order[0]}"
    delete_by_keyboard(order[0], 0)  # none left: to the list's heading
    assert page.evaluate(FOCUSED) == "heading"
