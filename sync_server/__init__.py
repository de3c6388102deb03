"""The office sync station.

The package silences, before anything imports pyHanko, the one upstream warning it is
known to raise on current cryptography (see :mod:`shared.upstream`), so station commands
print no library warning to the person running them.
"""

from shared.upstream import silence_known

silence_known()
