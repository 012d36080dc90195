"""Dutch: lower-case days and months ("b" is the month abbreviation without capital)."""

DATE_FORMAT = "j F Y"  # 1 januari 2026
TIME_FORMAT = "H:i"  # 19:30
DATETIME_FORMAT = "j F Y, H:i"  # 1 januari 2026, 19:30
YEAR_MONTH_FORMAT = "F Y"  # januari 2026
MONTH_DAY_FORMAT = "j F"  # 1 januari
SHORT_DATE_FORMAT = "j b Y"  # 1 jan. 2026
SHORT_DATETIME_FORMAT = "j b Y, H:i"  # 1 jan. 2026, 19:30
# Kring's own (kring.core.formats.named_format): chart labels
SHORT_MONTH_FORMAT = "b"  # jan.
SHORT_MONTH_YEAR_FORMAT = "b y"  # jan. 26
