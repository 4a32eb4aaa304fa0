"""The one-line notices sound gives when it is silent, FR and EN, keyed by code.

Owns the words the TUI shows in its log about sound. (They belong with the project's
catalogue; they live here until ``phone_sim.network.catalogue`` takes a ``sound.*``
section, to keep the sound package to the files it owns.)
"""

from __future__ import annotations

from typing import Final

NOTICES: Final[dict[str, tuple[str, str]]] = {
    "null": ("Son désactivé (--sound null)", "Sound off (--sound null)"),
    "no_pyaudio": (
        "Son désactivé : PyAudio n'est pas installé (pip install 'phone-sim[audio]')",
        "Sound off: PyAudio is not installed (pip install 'phone-sim[audio]')",
    ),
    "no_portaudio": (
        "Son désactivé : aucun périphérique audio (PortAudio introuvable)",
        "Sound off: no audio device (PortAudio not found)",
    ),
    "no_device": (
        "Son désactivé : aucun périphérique de sortie audio",
        "Sound off: no audio output device",
    ),
    "device_error": (
        "Son désactivé : le périphérique audio refuse de s'ouvrir ({detail})",
        "Sound off: the audio device would not open ({detail})",
    ),
    "device_slow": (
        "Son en attente : le périphérique audio ne répond pas encore",
        "Sound waiting: the audio device has not answered yet",
    ),
    "device_lost": (
        "Son coupé : le périphérique audio a disparu ({detail})",
        "Sound stopped: the audio device went away ({detail})",
    ),
    "no_microphone": (
        "Micro indisponible : aucun périphérique d'entrée audio",
        "No microphone: no audio input device",
    ),
    "record_error": (
        "Enregistrement WAV impossible : {detail}",
        "Cannot record WAV: {detail}",
    ),
    "wav_only": (
        "Son enregistré en WAV dans {directory} (pas de lecture)",
        "Sound recorded as WAV in {directory} (not played)",
    ),
}

DETAIL_MAX = 80


def notice_text(code: str, lang: str = "fr", detail: str = "", directory: str = "") -> str:
    """The notice for ``code`` in ``lang`` (``fr`` or ``en``), on one line."""
    french, english = NOTICES.get(code, (code, code))
    detail = " ".join(detail.split())[:DETAIL_MAX] or "?"
    return (french if lang == "fr" else english).format(detail=detail, directory=directory)
