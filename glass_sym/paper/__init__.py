"""The paper as data: transcriptions of both versions, Table 1 and its fits, the materials."""
