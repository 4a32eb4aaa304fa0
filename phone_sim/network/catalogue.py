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
    # portal accounts and storage (phone_sim/store)
    "password_too_short": ("Mot de passe trop court (6 caractères au moins)",
                           "Password too short (at least 6 characters)"),
    "unknown_account": ("Compte inconnu", "Unknown account"),
    "duplicate_account": ("Ce compte existe déjà", "This account already exists"),
    "not_saved": ("Modification non enregistrée", "Change not saved"),
    "required": ("Champ obligatoire", "Required field"),
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
    # storage and portal screens (phone_sim/store, phone_sim/tui/portal)
    "store.first_run": (
        "Base de données créée avec la société de démonstration. Portail gestionnaire : {manager} / "
        "{password} ; portail utilisateur : l'identifiant de la ligne (par exemple A) / {user_password}. "
        "Changez-les avec « phone-sim account set-password NOM ».",
        "Database created with the demo company. Fleet-manager portal: {manager} / {password}; "
        "user portal: the line's id (for example A) / {user_password}. "
        "Change them with `phone-sim account set-password NAME`.",
    ),
    "store.error": ("Erreur", "Error"),
    "store.exported": ("Société exportée dans {file}", "Company exported to {file}"),
    "store.imported": ("Société importée depuis {file} : {lines} lignes, {groups} groupes",
                       "Company imported from {file}: {lines} lines, {groups} groups"),
    "store.import_refused": ("Import refusé, rien n'a été modifié", "Import refused, nothing was changed"),
    "store.new_password": ("Nouveau mot de passe pour {name} :", "New password for {name}:"),
    "store.repeat_password": ("Répétez le mot de passe :", "Repeat the password:"),
    "store.passwords_differ": ("Les deux mots de passe diffèrent", "The two passwords differ"),
    "store.password_changed": ("Mot de passe de {name} changé", "Password of {name} changed"),
    "store.manager_added": ("Compte gestionnaire {name} créé", "Fleet-manager account {name} created"),
    "portal.role.manager": ("Gestionnaire", "Fleet manager"),
    "portal.role.user": ("Utilisateur", "User"),
    "portal.product": ("Option PABX mobile", "PABX mobile option"),
    "portal.title.manager": ("Votre portail Gestionnaires", "Your fleet-manager portal"),
    "portal.title.user": ("Votre portail Utilisateurs", "Your user portal"),
    "portal.login.title": ("Identifiez-vous pour gérer votre flotte en ligne", "Log in to manage your fleet"),
    "portal.login.name": ("Identifiant", "Login"),
    "portal.login.password": ("Mot de passe", "Password"),
    "portal.login.submit": ("Se connecter", "Log in"),
    "portal.login.no_store": (
        "Société chargée depuis un fichier : pas de comptes, choisissez qui vous êtes ; rien n'est enregistré",
        "Company loaded from a file: no accounts, choose who you are; nothing is saved",
    ),
    "portal.login.identity": ("Entrer en tant que", "Enter as"),
    "portal.enter": ("Entrer", "Enter"),
    "portal.logout": ("Se déconnecter", "Log out"),
    "portal.back": ("Retour", "Back"),
    "portal.home": ("Accueil", "Home"),
    "portal.close": ("Fermer le portail", "Close the portal"),
    "portal.menu.forwarding": ("Gérer les renvois d'appel d'une ligne", "Manage a line's call forwarding"),
    "portal.menu.incoming": ("Gérer les appels entrants d'une ligne", "Manage a line's incoming calls"),
    "portal.menu.forwarding_own": ("Gérer mes renvois d'appel", "Manage my call forwarding"),
    "portal.menu.incoming_own": ("Gérer mes appels entrants", "Manage my incoming calls"),
    "portal.menu.groups": ("Administrer les groupes d'appel", "Administer the call groups"),
    "portal.menu.my_groups": ("Mes groupes d'appel", "My call groups"),
    "portal.menu.options": ("Options des lignes (PABX mobile, double appel)", "Line options (PABX mobile, double call)"),
    "portal.menu.identity": ("Prendre l'identité d'un utilisateur", "Take a user's identity"),
    "portal.menu.audit": ("Journal d'audit", "Audit log"),
    "portal.acting_as": ("Vous agissez en tant que {name} ({line})", "You are acting as {name} ({line})"),
    "portal.logged_in": ("Connecté : {name} ({role})", "Logged in: {name} ({role})"),
    "portal.resume_identity": ("Reprendre mon identité", "Back to my own identity"),
    "portal.take_identity": ("Prendre l'identité", "Take identity"),
    "portal.line": ("Sélectionnez la ligne du collaborateur", "Select the user's line"),
    "portal.activate": ("Activer la fonction", "Activate"),
    "portal.validate": ("Valider", "Validate"),
    "portal.saved": ("Modification enregistrée", "Change saved"),
    "portal.yes": ("oui", "yes"),
    "portal.no": ("non", "no"),
    "portal.fwd.type": ("Type de renvoi d'appel", "Forwarding type"),
    "portal.fwd.number": ("Numéro à dix chiffres commençant par 01 à 06", "Ten-digit number starting with 01 to 06"),
    "portal.fwd.delay": ("Délai avant renvoi sur non réponse (secondes)", "Delay before forwarding on no answer (seconds)"),
    "portal.fwd.opt_out": ("Je ne souhaite pas personnaliser mes renvois d'appel",
                           "I do not wish to customise my call forwarding"),
    "portal.fwd.current": ("Renvois actifs : {value}", "Active forwarding: {value}"),
    "portal.in.mode": ("Mode de distribution de l'appel", "How the call is distributed"),
    "portal.in.numbers": ("Liste d'appels : jusqu'à 5 numéros à 10 chiffres du VPN",
                          "Ring list: up to 5 ten-digit VPN numbers"),
    "portal.in.number": ("Numéro {n}", "Number {n}"),
    "portal.in.step": ("Délai avant le poste suivant (secondes)", "Delay before the next phone (seconds)"),
    "portal.in.opt_out": ("Je ne souhaite pas personnaliser mes appels entrants",
                          "I do not wish to customise my incoming calls"),
    "portal.in.current": ("Appels entrants : {value}", "Incoming calls: {value}"),
    "portal.groups.title": ("Groupes d'appel", "Call groups"),
    "portal.col.number": ("N° du groupe", "Group number"),
    "portal.col.name": ("Nom du groupe d'appel", "Call group name"),
    "portal.col.user_code": ("Code connexion utilisateur", "User login code"),
    "portal.col.admin_code": ("Code administratif", "Admin code"),
    "portal.col.queue": ("File d'attente", "Queue"),
    "portal.col.switchover_delay": ("Délai avant basculement", "Delay before switching over"),
    "portal.col.inter_call_delay": ("Délai inter-appels", "Delay between calls"),
    "portal.col.distribution": ("Mode de distribution", "Distribution"),
    "portal.col.actions": ("Modification / Suppression", "Edit / Delete"),
    "portal.col.status": ("Statut", "Status"),
    "portal.legend": ("Légende :", "Legend:"),
    "portal.add": ("Ajouter", "Add"),
    "portal.modify": ("Modifier", "Edit"),
    "portal.delete": ("Supprimer", "Delete"),
    "portal.confirm_delete": ("Confirmer la suppression de {name}", "Confirm deleting {name}"),
    "portal.group.add_title": ("Ajouter un groupe d'appel", "Add a call group"),
    "portal.group.edit_title": ("Modifier le groupe d'appel {name}", "Edit the call group {name}"),
    "portal.group.pick": ("Sélectionnez un groupe dans le tableau", "Select a group in the table"),
    "portal.members.title": ("Membres du groupe d'appel : {name}", "Members of the call group: {name}"),
    "portal.members.name": ("Nom", "Name"),
    "portal.members.number": ("Numéro", "Number"),
    "portal.members.status": ("Statut", "Status"),
    "portal.members.line": ("Ligne à ajouter", "Line to add"),
    "portal.connect": ("Connecter", "Connect"),
    "portal.disconnect": ("Déconnecter", "Disconnect"),
    "portal.disconnect_all": ("Déconnecter tous les membres", "Disconnect all members"),
    "portal.add_member": ("Ajouter le membre", "Add the member"),
    "portal.remove_member": ("Retirer le membre", "Remove the member"),
    "portal.my_groups.empty": ("Vous n'êtes membre d'aucun groupe d'appel", "You are not a member of any call group"),
    "portal.options.title": ("Options des lignes", "Line options"),
    "portal.audit.filter": ("Filtrer par ligne", "Filter by line"),
    "portal.audit.all": ("Toutes les lignes", "All lines"),
    "portal.audit.when": ("Quand", "When"),
    "portal.audit.who": ("Qui", "Who"),
    "portal.audit.as_whom": ("En tant que", "As"),
    "portal.audit.what": ("Opération", "Operation"),
    "portal.audit.target": ("Cible", "Target"),
    "portal.audit.before": ("Avant", "Before"),
    "portal.audit.after": ("Après", "After"),
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

# lessons (phone_sim/training, phone_sim/tui/lessons): the panel, the portal form, the summary
TEXTS.update({
    "lesson.usage": ("Pour quel usage ?", "What is it for?"),
    "lesson.goals": ("Objectifs", "Goals"),
    "lesson.goal": ("À vous :", "Your turn:"),
    "lesson.done_title": ("Leçon terminée", "Lesson complete"),
    "lesson.finished": ("Bravo, tous les objectifs sont atteints !", "Well done, every goal is reached!"),
    "lesson.hint": ("Indice :", "Hint:"),
    "lesson.hint_prompt": ("Bloqué ? Touche i pour un indice, s pour voir faire.",
                           "Stuck? Key i for a hint, s to be shown."),
    "lesson.refused": ("Le réseau a refusé :", "The network refused:"),
    "lesson.legend": (
        "Votre téléphone : chiffres, * et # · Entrée APPEL · Échap FIN · h ATTENTE · c CONFÉRENCE\n"
        "Leçon : i indice · s montre-moi · r recommencer · p portail · a +5 s · A +25 s · "
        "espace pause · q quitter",
        "Your phone: digits, * and # · Enter CALL · Escape END · h HOLD · c CONFERENCE\n"
        "Lesson: i hint · s show me · r restart · p portal · a +5 s · A +25 s · space pause · q leave",
    ),
    "lesson.paused": ("⏸ en pause", "⏸ paused"),
    "lesson.showing": ("Démonstration en cours…", "Showing how…"),
    "lesson.status.goal": ("Objectif {number}/{total}", "Goal {number}/{total}"),
    "lesson.status.finished": ("Terminé", "Complete"),
    "lesson.you": ("▶ VOUS", "▶ YOU"),
    "lesson.scripted": ("joué par la leçon", "played by the lesson"),
    "lesson.not_yours": ("Ce téléphone est joué par la leçon : utilisez le vôtre.",
                         "The lesson plays this phone: use yours."),
    "lesson.not_in_lesson": ("Pas pendant cette leçon.", "Not during this lesson."),
    "lesson.anonymous": ("anonyme", "anonymous"),
    "lesson.cannot_save": ("Résultats non enregistrés : {error}", "Results not saved: {error}"),
    "lesson.portal.title": ("Portail utilisateur — {name} ({number})", "User portal — {name} ({number})"),
    "lesson.portal.forwarding": ("Gérez les renvois d'appel", "Manage call forwarding"),
    "lesson.portal.incoming": ("Gérez les appels entrants", "Manage incoming calls"),
    "lesson.portal.number": ("Numéro à 10 chiffres (01 à 06)", "10-digit number (01 to 06)"),
    "lesson.portal.numbers": ("Jusqu'à 5 numéros à 10 chiffres, dans l'ordre", "Up to 5 ten-digit numbers, in order"),
    "lesson.portal.step": ("Délai de chaque poste (secondes)", "Seconds each phone rings"),
    "lesson.portal.save": ("Valider", "Save"),
    "lesson.portal.no_forwarding": ("Je ne souhaite pas personnaliser mes renvois d'appel",
                                    "I do not wish to customise my call forwarding"),
    "lesson.portal.no_ring_list": ("Je ne souhaite pas personnaliser mes appels entrants",
                                   "I do not wish to customise my incoming calls"),
    "lesson.portal.close": ("Fermer (Échap)", "Close (Escape)"),
    "lesson.portal.choose_type": ("Choisissez un type de renvoi", "Choose a type of forwarding"),
    "lesson.portal.choose_mode": ("Choisissez un mode de distribution", "Choose a distribution mode"),
    "lesson.portal.saved": ("Enregistré", "Saved"),
    "lesson.summary.title": ("Bilan : {title}", "Summary: {title}"),
    "lesson.summary.totals": (
        "Temps total {time} · indices {hints} · refus rencontrés {refusals} · essais de cette leçon {runs}",
        "Total time {time} · hints {hints} · refusals met {refusals} · attempts at this lesson {runs}",
    ),
    "lesson.summary.keys": ("Entrée : autres leçons · r : recommencer · Échap : revoir les téléphones",
                            "Enter: other lessons · r: start again · Escape: look at the phones"),
    "lesson.col.goal": ("Objectif", "Goal"),
    "lesson.col.done": ("Atteint", "Reached"),
    "lesson.col.time": ("Temps", "Time"),
    "lesson.col.hints": ("Indices", "Hints"),
    "lesson.col.refusals": ("Refus", "Refusals"),
    "lesson.col.shown": ("Montré", "Shown"),
    "lesson.yes": ("oui", "yes"),
    "lesson.no": ("non", "no"),
    "lesson.pick.title": ("Leçons", "Lessons"),
    "lesson.pick.name": ("Votre nom", "Your name"),
    "lesson.pick.lessons": ("Choisissez une leçon", "Choose a lesson"),
    "lesson.pick.keys": ("Entrée : commencer · Tab : nom ou leçons · Échap : quitter",
                         "Enter: start · Tab: name or lessons · Escape: leave"),
    "lesson.report.empty": ("Aucun résultat enregistré.", "No result saved yet."),
    "lesson.report.completed": ("terminée", "complete"),
    "lesson.report.unfinished": ("inachevée", "unfinished"),
    "lesson.report.hints": ("indices", "hints"),
    "lesson.report.refusals": ("refus", "refusals"),
})
