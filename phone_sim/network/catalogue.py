"""The one catalogue of user-facing text, French and English, keyed by code.

Reason codes (refusals and release causes) are part of the public contract: scenarios
assert them with ``fails:``. Every other face (handset display, TUI, sound, lessons)
reads its words from here, so no module builds a French sentence inline.
"""

from __future__ import annotations

from typing import Final

Lang = str  # "fr" | "en"

# code -> (French, English)
REASONS: Final[dict[str, tuple[str, str]]] = {
    # numbering and routing (SPEC 1, 2)
    "invalid_number": ("Numéro invalide", "Invalid number"),
    "short_number_not_allowed": ("Numéro court non autorisé", "Short number not allowed"),
    "international_not_allowed": ("Numéro international non autorisé", "International number not allowed"),
    "special_number_not_allowed": ("Numéro spécial (08) non autorisé", "Special (08) number not allowed"),
    "prefix_not_allowed": ("Le numéro doit commencer par 01 à 06", "The number must start with 01 to 06"),
    "not_in_vpn": ("Numéro hors de votre VPN", "Number not in your VPN"),
    "number_not_allocated": ("Le numéro demandé n'est pas attribué", "The number you dialled is not allocated"),
    "unreachable": ("Votre correspondant n'est pas joignable", "The person you are calling cannot be reached"),
    "busy": ("Occupé", "Busy"),
    "no_answer": ("Pas de réponse", "No answer"),
    # double appel, transfer, conference (SPEC 3, 4, 5)
    "double_appel_required": ("Option Double appel requise", "Double call option required"),
    "no_pabx_option": ("Option PABX mobile requise", "PABX mobile option required"),
    "transfer_needs_two_calls": (
        "Transfert : il faut un appel en cours et un appel en attente, tous deux établis",
        "Transfer needs one active and one held call, both answered",
    ),
    "conference_needs_two_calls": (
        "Conférence : il faut un appel en cours et un appel en attente",
        "Conference needs one active and one held call",
    ),
    "conference_full": ("Conférence complète (6 participants)", "Conference full (6 participants)"),
    "unavailable_abroad": ("Service indisponible depuis l'étranger", "Service unavailable abroad"),
    "unavailable_white_zone": ("Service indisponible en zone blanche", "Service unavailable in a white zone"),
    # forwarding and ring lists (SPEC 6, 7)
    "invalid_delay": ("Délai invalide", "Invalid delay"),
    "forward_to_self": ("Renvoi vers sa propre ligne impossible", "Cannot forward a line to itself"),
    "forwarding_loop": ("Boucle de renvoi : appel terminé", "Forwarding loop: call ended"),
    "list_too_long": ("Liste limitée à 5 numéros", "A list holds at most 5 numbers"),
    # groups (SPEC 9)
    "group_full": ("Groupe complet (10 membres)", "Group full (10 members)"),
    "not_mobile": ("Seule une ligne mobile peut être membre", "Only a mobile line can be a member"),
    "group_closed": ("Groupe fermé : aucun membre connecté", "Group closed: no member connected"),
    "wrong_code": ("Code erroné", "Wrong code"),
    "code_locked": ("Trop de codes erronés : menu bloqué 15 minutes", "Too many wrong codes: menu locked for 15 minutes"),
    # portal (SPEC 10)
    "forbidden": ("Action non autorisée sur cette ligne", "Not allowed on this line"),
    # where the spec is silent (documented in docs/behaviour.md)
    "no_call": ("Aucun appel", "No call"),
    "nothing_to_answer": ("Aucun appel à prendre", "No call to answer"),
    "too_many_calls": ("Trop d'appels en cours", "Too many calls in progress"),
    "handset_off": ("Téléphone éteint", "Phone switched off"),
    "no_number": ("Composez un numéro", "Dial a number first"),
    "unknown_code": ("Code de service inconnu", "Unknown service code"),
    "call_waiting_off": ("Signal d'appel désactivé", "Call waiting is off"),
    "no_participant": ("Participant inconnu", "No such participant"),
    "unknown_line": ("Ligne inconnue", "Unknown line"),
    "unknown_group": ("Groupe inconnu", "Unknown group"),
    "not_member": ("Cette ligne n'est pas membre du groupe", "This line is not a member of the group"),
    "already_member": ("Cette ligne est déjà membre du groupe", "This line is already a member"),
    "duplicate_group": ("Ce groupe existe déjà", "This group already exists"),
    "number_in_use": ("Numéro déjà utilisé", "Number already in use"),
    "invalid_value": ("Valeur invalide", "Invalid value"),
    "invalid_code": ("Le code doit comporter 4 chiffres", "A code has 4 digits"),
    "bad_credentials": ("Identifiant ou mot de passe incorrect", "Wrong login or password"),
    "account_locked": ("Compte bloqué 15 minutes", "Account locked for 15 minutes"),
}

# handset states, tones, locations, options, settings and other words shown to people
TEXTS: Final[dict[str, tuple[str, str]]] = {
    "state.calling": ("Appel en cours vers", "Calling"),
    "state.ringing": ("Appel entrant de", "Incoming call from"),
    "state.waiting": ("Double appel de", "Call waiting from"),
    "state.active": ("En communication avec", "In call with"),
    "state.held": ("En attente", "On hold"),
    "state.conference": ("Conférence", "Conference"),
    "state.queued": ("File d'attente", "In queue"),
    "mode.idle": ("Prêt", "Ready"),
    "mode.off": ("Éteint", "Switched off"),
    "mode.dialing": ("Numérotation", "Dialling"),
    "tone.ringback": ("retour d'appel", "ringback"),
    "tone.busy": ("occupation", "busy"),
    "tone.waiting": ("signal d'appel", "call waiting"),
    "tone.music": ("musique d'attente", "music on hold"),
    "tone.dial": ("tonalité", "dial tone"),
    "tone.none": ("silence", "silence"),
    "location.home": ("En France", "At home"),
    "location.abroad": ("À l'étranger", "Abroad"),
    "location.white_zone": ("Zone blanche", "White zone"),
    "location.no_coverage": ("Hors couverture", "No coverage"),
    "power.on": ("Allumé", "On"),
    "power.off": ("Éteint", "Off"),
    "option.pabx": ("Option PABX mobile", "PABX mobile option"),
    "option.double_appel": ("Double appel", "Double call"),
    "forwarding.unconditional": ("Renvoi immédiat", "Immediate forwarding"),
    "forwarding.busy": ("Renvoi sur occupation", "Forwarding when busy"),
    "forwarding.no_answer": ("Renvoi sur non réponse", "Forwarding on no answer"),
    "forwarding.unreachable": ("Renvoi sur injoignabilité", "Forwarding when unreachable"),
    "ring_list.simultaneous": ("Simultanément", "Simultaneously"),
    "ring_list.sequential": ("Séquentiellement (en cascade)", "Sequentially (cascade)"),
    "distribution.linear": ("Linéaire", "Linear"),
    "distribution.circular": ("Circulaire", "Circular"),
    "distribution.uniform": ("Uniforme", "Uniform"),
    "distribution.simultaneous": ("Simultanée", "Simultaneous"),
    "group.open": ("Au moins un membre connecté", "At least one member connected"),
    "group.closed": ("Aucun membre connecté", "No member connected"),
    "member.connected": ("Connecté", "Connected"),
    "member.disconnected": ("Déconnecté", "Disconnected"),
    "forwarded_from": ("Renvoyé par", "Forwarded by"),
    "transferred": ("Appel transféré", "Call transferred"),
    "answered_elsewhere": ("Appel pris sur un autre poste", "Answered elsewhere"),
    "call_ended": ("Appel terminé", "Call ended"),
    "dtmf": ("DTMF", "DTMF"),
    # MMI answers (SPEC 8)
    "mmi.activated": ("Service activé", "Service activated"),
    "mmi.deactivated": ("Service désactivé", "Service deactivated"),
    "mmi.erased": ("Service effacé", "Service erased"),
    "mmi.active_to": ("Service actif vers", "Service active to"),
    "mmi.not_active": ("Service non actif", "Service not active"),
    "mmi.waiting_on": ("Signal d'appel activé", "Call waiting on"),
    "mmi.waiting_off": ("Signal d'appel désactivé", "Call waiting off"),
    # announcements and voice menu prompts (SPEC 9, 11)
    "announce.queue": (
        "Tous nos conseillers sont en ligne, veuillez patienter",
        "All our agents are busy, please hold",
    ),
    "menu.welcome": ("Groupe {group}. Entrez votre code à quatre chiffres", "Group {group}. Enter your four-digit code"),
    "menu.user": (
        "Tapez 1 pour vous connecter, 2 pour vous déconnecter, 3 pour votre statut",
        "Press 1 to log in, 2 to log out, 3 for your status",
    ),
    "menu.admin": (
        "Tapez 4 pour déconnecter tous les membres, 5 pour le statut des membres, "
        "6 pour changer le code utilisateur, 7 pour changer le code administratif",
        "Press 4 to log out every member, 5 for every member's status, "
        "6 to change the user code, 7 to change the admin code",
    ),
    "menu.connected": ("Vous êtes connecté au groupe {group}", "You are logged in to group {group}"),
    "menu.disconnected": ("Vous êtes déconnecté du groupe {group}", "You are logged out of group {group}"),
    "menu.all_disconnected": ("Tous les membres sont déconnectés", "Every member is logged out"),
    "menu.admin_member": (
        "Tapez 1 pour vous connecter, 2 pour vous déconnecter, 3 pour votre statut, "
        "4 pour déconnecter tous les membres, 5 pour le statut des membres, "
        "6 pour changer le code utilisateur, 7 pour changer le code administratif",
        "Press 1 to log in, 2 to log out, 3 for your status, 4 to log out every member, "
        "5 for every member's status, 6 to change the user code, 7 to change the admin code",
    ),
    "menu.members": ("État des membres : {members}", "Members' status: {members}"),
    "menu.new_code": ("Entrez le nouveau code à quatre chiffres", "Enter the new four-digit code"),
    "menu.code_changed": ("Code modifié", "Code changed"),
    "menu.wrong_code": ("Code erroné, recommencez", "Wrong code, try again"),
    "menu.locked": ("Menu bloqué pendant 15 minutes", "Menu locked for 15 minutes"),
    "menu.not_member": ("Vous n'êtes pas membre de ce groupe", "You are not a member of this group"),
    "menu.invalid_choice": ("Choix invalide", "Invalid choice"),
    "menu.goodbye": ("Au revoir", "Goodbye"),
    "none": ("aucun", "none"),
}


def reason_text(code: str, lang: Lang = "fr") -> str:
    """The FR or EN message of a reason code (the code itself when unknown)."""
    pair = REASONS.get(code)
    if pair is None:
        return code
    return pair[0] if lang == "fr" else pair[1]


def text(key: str, lang: Lang = "fr", **values: object) -> str:
    """A catalogue text, formatted with ``values`` (the key itself when unknown)."""
    pair = TEXTS.get(key) or REASONS.get(key)
    if pair is None:
        return key
    chosen = pair[0] if lang == "fr" else pair[1]
    return chosen.format(**values) if values else chosen
