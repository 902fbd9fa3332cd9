from config.formats import zoned

DATETIME_FORMAT = zoned("fr")
