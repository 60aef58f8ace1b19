"""Machine-readable outputs: placeholder until issue 3/5 fills it."""

MACHINE_PRODUCERS = ()
