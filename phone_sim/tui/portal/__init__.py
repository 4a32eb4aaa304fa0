"""The fleet-manager and user portals, as Textual screens (SPEC 10; guide, "Votre portail
Gestionnaires"). The main TUI pushes ``PortalScreen(net, store, lang)``."""

from phone_sim.tui.portal.screen import PortalScreen

__all__ = ["PortalScreen"]
