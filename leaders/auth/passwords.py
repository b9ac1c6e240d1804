"""The password rules: long enough, and not one of the passwords attackers try first."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from itertools import pairwise

MIN_LENGTH = 12
MAX_LENGTH = 256


@cache
def _common_words() -> frozenset[str]:
    text = resources.files("leaders").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _is_repetitive(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) <= 3:
        return True
    # The same short chunk repeated: "abcabcabcabc", "qwertyqwerty".
    return any(
        len(lowered) % size == 0 and lowered == lowered[:size] * (len(lowered) // size)
        for size in range(1, len(lowered) // 2 + 1)
    )


def _is_sequence(password: str) -> bool:
    codes = [ord(c) for c in password.lower()]
    steps = {b - a for a, b in pairwise(codes)}
    return steps in ({1}, {-1})


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is not allowed, in words the person can act on; None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    # Common passwords padded with digits or symbols ("Password1234!") are as weak as the word.
    core = re.sub(r"[\d\W_]+$", "", re.sub(r"^[\d\W_]+", "", lowered))
    words = _common_words()
    if lowered in words or core in words or (core == "" and lowered.isdigit()):
        return "Password is too common. Choose a different password, for example three random words"
    if _is_repetitive(password) or _is_sequence(password):
        return "Password is too easy to guess. Avoid repeated characters and sequences like 123456"
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return "Password must not contain your email address"
    if (
        name
        and all(part.lower() in lowered for part in name.split() if len(part) >= 4)
        and any(len(part) >= 4 for part in name.split())
    ):
        return "Password must not contain your name"
    return None
