"""Code extraction on real-looking messages; expected values follow the rules in core/codes.py."""

from __future__ import annotations

import pytest

from smspool_tui.core.codes import extract_code

MESSAGES: list[tuple[str, str | None]] = [
    # Plain digits, English
    ("Your Telegram code: 48213", "48213"),
    (
        "Telegram code 61022\n\nYou can also tap on this link to log in:\nhttps://t.me/login/61022",
        "61022",
    ),
    (
        "Your WhatsApp code: 123-456\nYou can also tap on this link to verify your phone: "
        "v.whatsapp.com/123456\nDon't share this code with others",
        "123456",
    ),
    (
        "<#> Your WhatsApp Business code 804 117. Don't share this code with others. 4sgLq1p5sV6",
        "804117",
    ),
    ("G-482913 is your Google verification code.", "482913"),
    ("Your Google verification code is 482913", "482913"),
    ("FB-55120 is your Facebook confirmation code", "55120"),
    ("Use 908172 as your login code for Instagram. Don't share it.", "908172"),
    ("123456 is your Instagram code. Don't share it.", "123456"),
    (
        "Your Uber code: 4821. Never share this code. Reply STOP ASAP to 89203 to unsubscribe.",
        "4821",
    ),
    ("Your Discord verification code is: 339201", "339201"),
    (
        "Amazon: Your code is 774120. Don't share it. "
        "If you didn't request it, call +1 206-266-1000.",
        "774120",
    ),
    ("Your Microsoft account security code is 5521", "5521"),
    (
        "[TikTok] 281934 is your verification code, valid for 5 minutes. "
        "To keep your account safe, "
        "never forward this code.",
        "281934",
    ),
    ("Your Twitter confirmation code is 58XK2P.", "58XK2P"),
    ("Your OpenAI API verification code is: 734102", "734102"),
    ("Netflix: Your verification code is 8153. Valid for 15 min.", "8153"),
    (
        "Your PayPal code is 302918. Your code expires in 10 minutes. Don't share your code.",
        "302918",
    ),
    ("Tinder code 881204 Do not share. @tinder.com #881204", "881204"),
    ("Snapchat Code: 440213. Do not share it or use it elsewhere!", "440213"),
    ("Your Steam Guard code: 7XK9Q", "7XK9Q"),
    ("Your one-time passcode is 90 31 22. It expires at 14:35 on 12/03/2026.", "903122"),
    (
        "Bank of X: OTP 552910 for txn of USD 1,250.00 at AMAZON on 26/11/2026 12:01. "
        "Not you? Call 1800 200 3000",
        "552910",
    ),
    ("Your PIN is 7301. Use it to confirm order #884512001.", "7301"),
    ("Your Signal verification code: 213-907", "213907"),
    ("Your verification code is AB12CD", "AB12CD"),
    ("Code: KXQWP", "KXQWP"),
    ("Welcome to 2026! Your code is 4417", "4417"),
    ("Apple ID Code: 903114. Don't share it with anyone.\n\n@apple.com #903114", "903114"),
    # Other languages
    ("Ваш код: 482913. Не сообщайте его никому ✅", "482913"),
    ("Код подтверждения: 5521. Никому не сообщайте его.", "5521"),
    ("Tu código de verificación es 736201", "736201"),
    ("Seu código do iFood é 4412. Não compartilhe.", "4412"),
    ("Il tuo codice di verifica è 882013", "882013"),
    ("Votre code de vérification est 551204. Il expire dans 10 minutes.", "551204"),
    ("Ihr Bestätigungscode lautet 663201. Gültig für 10 Min.", "663201"),
    ("Kode verifikasi Shopee Anda adalah 229130. JANGAN BERIKAN kode ini ke siapa pun.", "229130"),
    ("Doğrulama kodunuz: 448120", "448120"),
    ("【腾讯科技】验证码：582913，5分钟内有效，请勿泄露。", "582913"),
    ("您的验证码是123456，请于10分钟内填写。", "123456"),
    ("[LINE] 認証番号:4821 このコードを他人に教えないでください。認証コード 4821", "4821"),
    ("[카카오톡] 인증번호 [738201]를 입력해주세요.", "738201"),
    ("رمز التحقق الخاص بك هو 551903", "551903"),
    ("Mã xác thực Zalo của bạn là 8812", "8812"),
    ("קוד האימות שלך הוא 440921", "440921"),
    ("รหัส OTP ของคุณคือ 993102 (Ref: QWER)", "993102"),
    # Distractors around the code
    ("You spent $12.50 at Starbucks on 11/25. Your verification code is 5502.", "5502"),
    ("Call us at (800) 555-1234. Your login code: 661302", "661302"),
    ("Order 2026-11-26: use code 1357 to confirm delivery.", "1357"),
    ("Visit https://example.com/verify/998877 and enter 4432 as your code", "4432"),
    ("Your balance is 150.00 EUR. Security code 90871 for your transfer.", "90871"),
    ("Your code is 123456. Ref: 998877665", "123456"),
    ("Use code 1234 to verify. Msg&data rates may apply. Txt STOP to 12345", "1234"),
    ("Your verification code is 12 34 56", "123456"),
    ("2FA code: 908172", "908172"),
    ("BANK: Rs 5000 debited from a/c XX1234 on 26-11-26. OTP 123456", "123456"),
    ("Code: 1234 expires 2026-11-26", "1234"),
    ("Kod weryfikacyjny: 123456", "123456"),
    ("Your Yahoo verification code is 5ZK9WQ", "5ZK9WQ"),
    ("You have 3 new messages. Your code: 7788", "7788"),
    ("Ваш код подтверждения 7291. Наберите его в поле ввода.", "7291"),
    ("Use 4821 for 2-step verification on account 123456789", "4821"),
    # Nothing recognisable -> no code (unless the server gives one)
    ("Welcome to our service! Reply HELP for help.", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), MESSAGES)
def test_extract_code_from_text(text: str, expected: str | None) -> None:
    assert extract_code(text) == expected


def test_many_messages() -> None:
    assert len(MESSAGES) >= 40


def test_falls_back_to_server_sms_when_text_has_no_code() -> None:
    assert extract_code("Welcome! Reply HELP for help.", "12345") == "12345"
    assert extract_code(None, " 998877 ") == "998877"
    assert extract_code("", "4412") == "4412"


def test_server_zero_is_no_code() -> None:
    assert extract_code(None, "0") is None
    assert extract_code(None, None) is None
    assert extract_code(None, "") is None


def test_server_value_breaks_ties() -> None:
    # Two equally plausible numbers; the server's own pick wins the tie.
    assert extract_code("Codes 441122 and 556677", "556677") == "556677"


def test_text_code_wins_over_wrong_server_value() -> None:
    assert extract_code("Full code: 12345", "12345") == "12345"
    assert extract_code("Your code is 882211", "1") == "882211"
