"""The tablets' protocol: enrolment, push, pull and what a pull brings, number blocks,
recovery after a restore."""
