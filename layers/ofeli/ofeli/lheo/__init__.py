"""LHEO 2.3: the writer of the offer (`ofeli.lheo.writer`) and the schema every file it writes meets."""
