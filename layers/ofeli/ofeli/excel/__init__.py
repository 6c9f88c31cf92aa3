"""Excel exports of the offer (`ofeli.excel.writer`)."""
