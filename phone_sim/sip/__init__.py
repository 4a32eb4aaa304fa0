"""The SIP gateway (SPEC 13): real SIP phones register as company lines of the simulated network.

``phone-sim sip`` runs it headless (cli.py); ``phone-sim --sip`` inside the TUI. The
gateway (gateway.py) uses aiosipua for SIP messages, dialogs and transports and aiortp for
RTP packets, G.711 and RFC 4733, with the pieces they lack in transport.py.
"""
