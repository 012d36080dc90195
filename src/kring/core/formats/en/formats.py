"""English, written as in the UK (day before month, a 24-hour clock)."""

DATE_FORMAT = "j F Y"  # 1 January 2026
TIME_FORMAT = "H:i"  # 19:30
DATETIME_FORMAT = "j F Y, H:i"  # 1 January 2026, 19:30
YEAR_MONTH_FORMAT = "F Y"  # January 2026
MONTH_DAY_FORMAT = "j F"  # 1 January
SHORT_DATE_FORMAT = "j M Y"  # 1 Jan 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 1 Jan 2026, 19:30
# Kring's own (kring.core.formats.named_format): chart labels
SHORT_MONTH_FORMAT = "M"  # Jan
SHORT_MONTH_YEAR_FORMAT = "M y"  # Jan 26
