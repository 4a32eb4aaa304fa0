"""`python -m phone_sim`: the same entry point as the `phone-sim` command."""

from phone_sim.cli import main

raise SystemExit(main())
