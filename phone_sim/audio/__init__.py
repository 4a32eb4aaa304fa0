"""Sound: tones, players and the DTMF receiver, listening to the network's events.

Owns everything the simulator plays or hears. The TUI uses ``system.SoundSystem``; the
command line adds ``cli.add_commands``; ``--dtmf-in`` reads ``keysource``. Inside:
``tones`` (synthesis), ``listener`` (events to commands), ``voice`` (one handset's mix),
``backends`` (live player, null), ``recorder`` (WAV, virtual time), ``device`` (PortAudio,
quietly), ``speech`` (espeak-ng), ``dtmf`` (the receiver), ``wavio``, ``notices``.
Imports from the core: ``phone_sim.network.events`` only (ARCHITECTURE.md).
"""
