"""Sound: tones, voices, the mixer, players and the receivers, listening to the network's events.

Owns everything the simulator plays or hears. The TUI uses ``system.SoundSystem``; the
command line adds ``cli.add_commands``; ``--dtmf-in`` reads ``keysource``. Inside:
``tones`` (synthesis), ``listener`` (events to commands), ``voice`` (one handset's own
sounds), ``mixer`` (mouthpieces and earpieces: who hears whom, summed and limited; the
API a SIP gateway pulls from and feeds), ``ident`` (identification tones and their
detector), ``probe`` (an earpiece measured, for ``--verify-audio``), ``clips`` (what
``say``/``play`` voices sound like), ``backends`` (live player, null), ``recorder`` (WAV,
virtual time), ``device`` (PortAudio, quietly), ``speech`` (espeak-ng), ``dtmf`` (the
receiver), ``wavio``, ``notices``.
Imports from the core: ``phone_sim.network.events`` only (ARCHITECTURE.md).
"""
