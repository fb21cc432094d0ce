"""Pick the verification code out of an SMS, as the user would type or paste it.

Decisions (what `extract_code` returns):
- Digits split for readability are joined: "123-456" and "123 456" -> "123456". Every input box
  we know (WhatsApp, Telegram, Google, banks) takes the bare digits, and pasting "123-456" into a
  6-digit box often fails.
- A short letter label glued to digits with a dash is dropped: "G-482913" -> "482913" (Google's
  box already shows the "G-"; it accepts only the digits). Same for "FB-12345", "TW-1234".
- Mixed letter+digit codes ("AB12CD", "7XK9QP") are returned as written (case kept).
- Letters-only codes are taken only right after a keyword ("code: KXQWP").
- Numbers that look like phone numbers, dates, times, money, years, long ids or parts of URLs are
  skipped where the text makes that visible; a candidate near a keyword (code, OTP, PIN, код,
  código, 验证码 ...) wins over one far from it.
- When the text has nothing recognisable, the server's own `sms` field is returned (stripped);
  the server's value also breaks ties between candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that sit next to a code in the messages services send, many languages; lowercase.
_KEYWORDS = (
    "verification code",
    "security code",
    "confirmation code",
    "login code",
    "access code",
    "one-time",
    "one time",
    "passcode",
    "password",
    "code",
    "otp",
    "pin",
    "token",
    "verif",
    "код",
    "пароль",
    "código",
    "codigo",
    "codice",
    "kode",
    "kod",
    "kodu",
    "koodi",
    "kód",
    "mã",
    "รหัส",
    "验证码",
    "驗證碼",
    "校验码",
    "动态码",
    "認証コード",
    "確認コード",
    "인증번호",
    "인증",
    "رمز",
    "كود",
    "קוד",
    "cod",
    "kodas",
    "kods",
    "clave",
    "senha",
    "wachtwoord",
    "passwort",
    "geheimzahl",
    "mot de passe",
    "sms-code",
    "zugangscode",
    "codice",
)
# A keyword starts a word ("pin" must not match "shopping"); it may end mid-word ("verif-ication").
_KEYWORD_ALTS = "|".join(re.escape(k) for k in sorted(set(_KEYWORDS), key=len, reverse=True))
_KEYWORD_RE = re.compile(r"(?<![a-zа-яё])(?:" + _KEYWORD_ALTS + ")")

_URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|org|io|me|ru|co|app|ly)/\S*", re.IGNORECASE
)
_EMAIL_RE = re.compile(r"\S+@\S+\.\w+")
_DATE_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_TIME_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_PHONE_RE = re.compile(
    r"\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[ -]\d{4}|(?<!\d)\d{3}[ -.]\d{3}[ -.]\d{4}(?!\d)"
)
_MONEY_RE = re.compile(
    r"(?:[$€£¥₹₽]|usd|eur|rub|uah|inr|brl)\s?\d[\d.,\s]*"
    r"|\d[\d.,]*\s?(?:[$€£¥₹₽]|usd|eur|rub|руб|uah|грн|inr|brl|dollars?|euros?|r\$)",
    re.IGNORECASE,
)
_DECIMAL_RE = re.compile(r"\d+[.,]\d+")

_NOT_ALNUM = r"(?<![0-9A-Za-z])"
_END = r"(?![0-9A-Za-z])"
# Order matters: the specific shapes first; a span taken by one is not re-read by the next.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("label", re.compile(_NOT_ALNUM + r"[A-Z]{1,4}-(\d{4,8})" + _END)),
    ("grouped", re.compile(_NOT_ALNUM + r"(\d{2}[- ]\d{2}[- ]\d{2})" + _END)),
    ("grouped", re.compile(_NOT_ALNUM + r"(\d{3}[- ]\d{3})" + _END)),
    ("grouped", re.compile(_NOT_ALNUM + r"(\d{2,4}-\d{2,4})" + _END)),
    ("digits", re.compile(_NOT_ALNUM + r"(\d{4,8})" + _END)),
    (
        "alnum",
        re.compile(
            _NOT_ALNUM + r"((?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{4,10})" + _END
        ),
    ),
    ("letters", re.compile(_NOT_ALNUM + r"([A-Z]{4,8})" + _END)),
)
# Mixed tokens that are units or ordinals, not codes ("10min", "24h", "2FA", "5th").
_UNIT_RE = re.compile(
    r"^\d+(?:min|mins|minutes|sec|secs|h|hr|hrs|hours|days?|th|st|nd|rd|gb|mb|"
    r"kb|fa|g|am|pm|x)$|^(?:x\d+|v\d+|id\d+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Candidate:
    code: str
    start: int
    end: int
    kind: str


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """Blank a match out (same length, so positions stay valid)."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _candidates(text: str) -> list[_Candidate]:
    masked = text
    for pattern in (_URL_RE, _EMAIL_RE, _PHONE_RE, _MONEY_RE, _DATE_RE, _TIME_RE, _DECIMAL_RE):
        masked = _mask(masked, pattern)
    found: list[_Candidate] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(masked):
            raw = match.group(1)
            if kind == "alnum" and _UNIT_RE.match(raw):
                continue
            code = re.sub(r"[- ]", "", raw) if kind == "grouped" else raw
            found.append(_Candidate(code, match.start(1), match.end(1), kind))
        masked = _mask(masked, pattern)
    return found


def _score(
    cand: _Candidate, text: str, keyword_spans: list[tuple[int, int]], hint: str | None
) -> float:
    score = 0.0
    digits_only = cand.code.isdigit()
    if cand.kind in ("label", "grouped"):
        score += 3
    if digits_only and len(cand.code) == 6:
        score += 2
    elif digits_only and len(cand.code) in (4, 5, 7, 8):
        score += 1
    if digits_only and len(cand.code) == 4 and cand.code[:2] in ("19", "20"):
        score -= 1.5  # looks like a year
    if cand.kind == "alnum" and any(c.islower() for c in cand.code) and not cand.code.isupper():
        score -= 1.5  # lowercase mixed tokens are usually words or ids, rarely codes
    if cand.kind == "letters":
        score -= 4
    # Closeness to a keyword; a code usually follows its keyword ("code: 1234").
    best = None
    for k_start, k_end in keyword_spans:
        if k_end <= cand.start:
            gap = cand.start - k_end
            between = text[k_end : cand.start]
            weight = 1.0
        else:
            gap = k_start - cand.end
            between = text[cand.end : k_start]
            weight = 1.5  # "123456 is your code" is common but a bit weaker
        if gap < 0:
            continue
        if "\n" in between or ". " in between:
            gap += 40  # another sentence
        dist = gap * weight
        best = dist if best is None else min(best, dist)
    if best is not None:
        score += max(0.0, 6 - best / 6)
    elif cand.kind == "letters":
        return -100  # letters alone never count without a keyword
    if cand.kind == "letters" and (best is None or best > 4):
        return -100
    if hint and cand.code.replace(" ", "") == hint:
        score += 2
    return score


def _clean_hint(sms: str | None) -> str | None:
    if sms is None:
        return None
    value = sms.strip()
    if not value or value == "0":
        return None
    return value


def extract_code(full_sms: str | None, sms: str | None = None) -> str | None:
    """The code the user should type, from the SMS text; falls back to the server's `sms`."""
    hint = _clean_hint(sms)
    text = (full_sms or "").strip()
    if not text:
        return hint
    lowered = text.lower()
    keyword_spans = [(m.start(), m.end()) for m in _KEYWORD_RE.finditer(lowered)]
    ranked: list[tuple[float, int, str]] = []
    for cand in _candidates(text):
        score = _score(cand, text, keyword_spans, hint)
        if score > -50:
            ranked.append((score, -cand.start, cand.code))
    if not ranked:
        return hint
    ranked.sort(reverse=True)
    return ranked[0][2]


def first_link(text: str | None) -> str | None:
    """The first link in a message (a sign-in link is what some services send instead of a
    code), without trailing punctuation."""
    found = _URL_RE.search(text or "")
    return found.group(0).rstrip(".,;:!?)]}'\"") if found else None
