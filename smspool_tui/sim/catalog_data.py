"""Static catalog data for the simulator: countries, real service names, pools.

Kept apart from catalog.py so the generation logic stays readable. IDs of the countries and
services that appear in the recorded fixtures match the recordings.
"""

from __future__ import annotations

# Region order mirrors country/retrieve_all (grouped by region, not sorted by ID).
# One line per country: ISO | calling code | name. "Carribeans" is the live API's spelling.
COUNTRY_TABLE: dict[str, str] = {
    "North America": """
US|1|United States
CA|1|Canada
MX|52|Mexico""",
    "Europe": """
GB|44|United Kingdom
PL|48|Poland
RU|7|Russia
UA|380|Ukraine
DE|49|Germany
FR|33|France
NL|31|Netherlands
ES|34|Spain
IT|39|Italy
PT|351|Portugal
SE|46|Sweden
FI|358|Finland
NO|47|Norway
DK|45|Denmark
EE|372|Estonia
LV|371|Latvia
LT|370|Lithuania
CZ|420|Czech Republic
SK|421|Slovakia
AT|43|Austria
CH|41|Switzerland
BE|32|Belgium
IE|353|Ireland
RO|40|Romania
BG|359|Bulgaria
HU|36|Hungary
HR|385|Croatia
RS|381|Serbia
SI|386|Slovenia
GR|30|Greece
CY|357|Cyprus
MD|373|Moldova
BY|375|Belarus
BA|387|Bosnia and Herzegovina
AL|355|Albania
MK|389|North Macedonia
ME|382|Montenegro
LU|352|Luxembourg
MT|356|Malta
IS|354|Iceland
GE|995|Georgia
AM|374|Armenia""",
    "Asia": """
ID|62|Indonesia
KZ|7|Kazakhstan
CN|86|China
HK|852|Hong Kong
IN|91|India
PH|63|Philippines
VN|84|Vietnam
TH|66|Thailand
MY|60|Malaysia
MM|95|Myanmar
KH|855|Cambodia
LA|856|Laos
JP|81|Japan
KR|82|South Korea
TW|886|Taiwan
SG|65|Singapore
BD|880|Bangladesh
PK|92|Pakistan
LK|94|Sri Lanka
NP|977|Nepal
MN|976|Mongolia
KG|996|Kyrgyzstan
UZ|998|Uzbekistan
TJ|992|Tajikistan
AZ|994|Azerbaijan
AF|93|Afghanistan
IQ|964|Iraq
IL|972|Israel
SA|966|Saudi Arabia
AE|971|United Arab Emirates
QA|974|Qatar
KW|965|Kuwait
BH|973|Bahrain
OM|968|Oman
JO|962|Jordan
LB|961|Lebanon
YE|967|Yemen
TR|90|Turkey
PS|970|Palestine
MO|853|Macau
BN|673|Brunei
TL|670|Timor-Leste""",
    "Africa": """
NG|234|Nigeria
EG|20|Egypt
ZA|27|South Africa
KE|254|Kenya
GH|233|Ghana
MA|212|Morocco
DZ|213|Algeria
TN|216|Tunisia
ET|251|Ethiopia
TZ|255|Tanzania
UG|256|Uganda
CM|237|Cameroon
CI|225|Ivory Coast
SN|221|Senegal
AO|244|Angola
MZ|258|Mozambique
ZM|260|Zambia
ZW|263|Zimbabwe
MG|261|Madagascar
ML|223|Mali
BF|226|Burkina Faso
TD|235|Chad
SD|249|Sudan
RW|250|Rwanda
BJ|229|Benin
TG|228|Togo
SL|232|Sierra Leone
LR|231|Liberia
GN|224|Guinea
GM|220|Gambia
CD|243|DR Congo
CG|242|Congo
GA|241|Gabon
MW|265|Malawi
NA|264|Namibia
BW|267|Botswana
LS|266|Lesotho
MR|222|Mauritania
LY|218|Libya
MU|230|Mauritius""",
    "South America": """
BR|55|Brazil
AR|54|Argentina
CO|57|Colombia
PE|51|Peru
CL|56|Chile
VE|58|Venezuela
EC|593|Ecuador
BO|591|Bolivia
PY|595|Paraguay
UY|598|Uruguay
GY|592|Guyana
SR|597|Suriname""",
    "Oceania": """
AU|61|Australia
NZ|64|New Zealand
PG|675|Papua New Guinea
FJ|679|Fiji
NC|687|New Caledonia""",
    "Central America": """
PA|507|Panama
GT|502|Guatemala
HN|504|Honduras
SV|503|El Salvador
NI|505|Nicaragua
CR|506|Costa Rica
BZ|501|Belize""",
    "Carribeans": """
JM|1876|Jamaica
DO|1809|Dominican Republic
HT|509|Haiti
TT|1868|Trinidad and Tobago
BS|1242|Bahamas
BB|1246|Barbados
PR|1787|Puerto Rico
LC|1758|Saint Lucia
GD|1473|Grenada
AW|297|Aruba
CW|599|Curacao
KY|1345|Cayman Islands""",
}

# IDs seen in recordings; the rest are handed out in table order from the unused numbers.
# fmt: off
FIXED_COUNTRY_IDS: dict[str, int] = {
    "US": 1, "GB": 2, "RU": 4, "KZ": 7, "ID": 9, "NG": 14, "MY": 20, "PL": 21, "MX": 53, "BR": 68,
    "PA": 93, "AU": 136, "JM": 142, "CZ": 149,
}
# fmt: on

# Countries where every service is on offer (the big, cheap markets).
MAJOR_COUNTRIES: frozenset[str] = frozenset(
    {"US", "GB", "RU", "ID", "KZ", "PL", "NL", "DE", "FR", "BR", "IN", "PH", "VN", "MY"}
)

# Real service names with IDs: recorded ones first, then stable invented IDs.
# fmt: off
REAL_SERVICES: dict[str, int] = {
    "1688": 1, "7-Eleven": 11, "Amazon / Amazon Web Services": 39, "Battle.net / Blizzard": 70,
    "bitFlyer": 95, "Google/Gmail": 395, "Nordstrom ": 644, "OpenAI / ChatGPT": 671,
    "Snapchat": 846, "Acorns": 1108, "Chicks Gold Inc.": 1131, "Foxtrot": 1382, "Swiggy": 1386,
    "Telegram": 907, "WhatsApp": 1012, "Discord": 263, "Facebook": 329, "Instagram": 457,
    "Tinder": 930, "Uber": 958, "Microsoft / Outlook / Hotmail": 581, "YouTube": 1040,
    "Google Voice": 396, "Airbnb": 21, "Alibaba": 27, "AliExpress": 28, "Apple": 48, "Badoo": 62,
    "Baidu": 63, "Binance": 88, "Bolt": 108, "Booking.com": 112, "Bumble": 129, "Careem": 146,
    "Cash App": 150, "Chime": 168, "Claude / Anthropic": 178, "Coinbase": 185, "Craigslist": 197,
    "Crypto.com": 201, "Bybit": 137, "Deliveroo": 240, "DeepSeek": 238, "Didi": 252,
    "DoorDash": 270, "eBay": 287, "Etsy": 301, "Feeld": 335, "Fiverr": 343, "Gojek": 388,
    "Grab": 409, "Grindr": 412, "Happn": 430, "Hinge": 438, "Hily": 437, "KakaoTalk": 480,
    "Klarna": 496, "Kraken": 501, "KuCoin": 505, "Lazada": 512, "LINE": 520, "LinkedIn": 523,
    "Lyft": 541, "Mail.ru": 550, "Match": 560, "MEXC": 566, "Naver": 603, "Netflix": 610,
    "Nextdoor": 614, "Nike": 620, "OfferUp": 660, "OkCupid": 662, "OKX": 664, "PayPal": 700,
    "Paxful": 699, "Perplexity": 706, "Pinterest": 712, "POF": 721, "Poshmark": 725,
    "Proton Mail": 733, "Quora": 745, "Reddit": 760, "Revolut": 765, "Robinhood": 770,
    "Shopee": 820, "Signal": 826, "Skype": 833, "Spotify": 860, "Steam": 871, "Stripe": 875,
    "StubHub": 877, "Taobao": 899, "Ticketmaster": 920, "TikTok / Douyin": 922,
    "Truth Social": 945, "Twilio": 949, "Twitch": 950, "Twitter / X": 951, "Upwork": 966,
    "Venmo": 978, "Viber": 985, "Vinted": 987, "VK / VKontakte": 992, "Walmart": 1005,
    "WeChat": 1009, "Wise": 1020, "Wolt": 1022, "Yahoo": 1030, "Yandex": 1032, "Zalo": 1050,
    "Zelle": 1052, "Zomato": 1055, "Tokopedia": 926, "Gate.io": 379, "HTX (Huobi)": 445,
    "Ozon.ru — Озон": 690, "Ünicode Bank": 1401,
    "Any Other (use this if your service is not listed, delivery is not guaranteed)": 44,
    "The Very Long Named International Financial Services Holding Company Limited": 1404,
}
# fmt: on

# Popular services cost more; multiplier on the generated base price.
PREMIUM_SERVICES: frozenset[str] = frozenset(
    {
        "OpenAI / ChatGPT",
        "Tinder",
        "Google/Gmail",
        "Google Voice",
        "WhatsApp",
        "Telegram",
        "Claude / Anthropic",
        "PayPal",
        "Coinbase",
        "Apple",
        "Hinge",
        "Bumble",
    }
)

# Building blocks for plausible generated brand names (fixed RNG, so names are stable).
NAME_HEADS: tuple[str, ...] = (
    "Nova",
    "Blue",
    "Quick",
    "Pay",
    "Swift",
    "Bright",
    "Zen",
    "Hyper",
    "Urban",
    "Green",
    "Cloud",
    "Pixel",
    "Lumi",
    "Vita",
    "Astro",
    "Terra",
    "Metro",
    "Echo",
    "Prime",
    "Omni",
    "True",
    "Flex",
    "Happy",
    "Rapid",
    "Silver",
    "Golden",
    "Red",
    "Smart",
    "Open",
    "Kiwi",
    "Maple",
    "Orbit",
    "Sunny",
    "Polar",
    "Coral",
    "Ember",
    "Atlas",
    "Peak",
    "Mango",
    "Zephyr",
)
NAME_TAILS: tuple[str, ...] = (
    "ly",
    "Pay",
    "Cart",
    "Chat",
    "Go",
    "Hub",
    "Box",
    "Bank",
    "Link",
    "Ride",
    "Date",
    "Mart",
    "Play",
    "Wallet",
    "Food",
    "Fit",
    "Trade",
    "Bet",
    "Stream",
    "Mail",
    "Cash",
    "Tix",
    "Hire",
    "Shop",
    "Travel",
    "Loans",
    "Coin",
    "Market",
)

# Pools as pool/retrieve_all lists them; 0 "Default" is not a purchasable pool.
POOLS: tuple[tuple[int, str], ...] = (
    (0, "Default"),
    (1, "Alpha"),
    (2, "Bravo"),
    (3, "Charlie"),
    (4, "Delta"),
    (5, "Echo"),
    (7, "Foxtrot"),
    (11, "Lima"),
    (12, "Mike"),
    (13, "November"),
    (14, "Oscar"),
)
