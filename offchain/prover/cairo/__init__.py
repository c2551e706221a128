"""The Cairo CPU AIR: runner files, instruction decoding, trace, constraints and the AIR itself.

Layout and constraints follow the Cairo paper (Goldberg, Papini, Riabzev, 2021, section 9);
the trace layout is our own, documented in `layout.py`.
"""
