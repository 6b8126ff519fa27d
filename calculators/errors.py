"""The one error type a caller of `calculators` needs to handle."""


class InputError(ValueError):
    """A calculator input is missing, malformed or not supported.

    `field` is the name of the parameter at fault (the same name the web form uses for the
    field), so a widget can show `message` right next to it. The message is written for the
    visitor: what is wrong and what is accepted, in plain words.
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def to_dict(self) -> dict:
        return {"field": self.field, "message": self.message}
