"""Voice guidance: the kiosk driven by a keypad and heard through its speaker, for a
citizen who cannot see the screen. A key press starts it; every screen and choice is
spoken (kiosk/prompts.py); next and previous move between the choices, choose takes one,
back goes back, repeat says it again, help says the keys. Speech runs on the Speaker's
thread and the keypad on its reader's: the touch screen never waits for either. The mode
ends when the citizen leaves (Done, or a time-out: KioskModel.leave)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from drivers.audio import Phrase, Speaker
from drivers.buttons import Button, KeypadError, KeypadReader, KeypadStatus, Press
from kiosk.model import KioskModel
from kiosk.prompts import Choice, Say, View, choice_say, choices, render, screen_says

log = logging.getLogger("mpp.kiosk.voice")

Translate = Callable[[str, str, str], str]  # (lang, context, source) -> text


class KeypadFeed(QObject):
    """Runs a KeypadReader; each accepted press arrives as `pressed(name)` on the Qt
    thread (emitted from the reader thread, delivered queued)."""

    pressed = Signal(str)

    def __init__(self, keypad: Any, press_filter: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = KeypadReader(keypad, self._on_press, self._on_error,
                                    self._on_status, press_filter=press_filter)

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        self._reader.stop()

    def _on_press(self, press: Press) -> None:
        self.pressed.emit(press.button.value)

    def _on_error(self, err: KeypadError) -> None:
        log.warning("keypad: %s", err)

    def _on_status(self, status: KeypadStatus, detail: str) -> None:
        log.info("keypad %s %s", status.value, detail)


class VoiceGuide(QObject):
    """Speaks the screen `model` shows and acts on the keys. `speaker` None: the keys
    still drive the screen (a kiosk without a voice). The QML's `voice`: the choice in
    focus is outlined and its page shown, for whoever looks on."""

    focusChanged = Signal()

    def __init__(self, model: KioskModel, speaker: Speaker | None, translate: Translate,
                 language: Callable[[], str], set_language: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model, self._speaker, self._translate = model, speaker, translate
        self._language, self._set_language = language, set_language
        self._choices: list[Choice] = []
        self._focus = 0
        self._on = False
        self._screen = str(model.screen)
        model.screenChanged.connect(self._on_screen)
        model.assistChanged.connect(self._on_modes)

    # -- keys -----------------------------------------------------------------------

    @Slot(str)
    def press(self, key: str) -> None:
        model = self._model
        model.touched()  # a key is a touch: the idle countdown starts again
        if not model.voice:
            model.set_voice(True)  # any key starts the guidance (_on_modes speaks)
            return
        button = Button(key)
        if button is Button.NEXT:
            self._move(+1)
        elif button is Button.PREVIOUS:
            self._move(-1)
        elif button is Button.CHOOSE:
            self._choose()
        elif button is Button.BACK:
            self._back()
        elif button is Button.HELP:
            self._say([Say("help"), *self._current()])
        else:  # REPEAT, VOICE
            self._announce(keep_focus=True)

    def _move(self, step: int) -> None:
        if not self._choices:
            self._announce(keep_focus=True)
            return
        focus = (self._focus + step) % len(self._choices)
        wrapped = (step > 0 and focus == 0) or (step < 0 and focus == len(self._choices) - 1)
        self._focus = focus
        self.focusChanged.emit()
        self._say(([Say("first")] if wrapped and step > 0 else []) + self._current())

    def _choose(self) -> None:
        if not self._choices:
            self._announce(keep_focus=True)
            return
        choice = self._choices[self._focus]
        model, action, value = self._model, choice.action, choice.value
        if not choice.enabled:
            self._say([Say("closed")])
        elif action == "start":
            model.start()
        elif action == "language":
            self._set_language(value)
            self._announce()
        elif action == "agency":
            model.chooseAgency(value)
        elif action == "service":
            model.chooseService(value)
        elif action == "priority":
            model.choosePriority(value)
        elif action == "back":
            model.back()
        elif action == "copy":
            model.reprint()
        else:  # done
            model.leave()

    def _back(self) -> None:
        if self._model.screen in ("result", "refused"):
            self._model.leave()
        elif self._model.screen == "welcome":
            self._announce(keep_focus=True)
        else:
            self._model.back()

    # -- what is said -----------------------------------------------------------------

    @Slot()
    def _on_modes(self) -> None:
        on = bool(self._model.voice)
        if on == self._on:
            return
        self._on = on
        if on:
            log.info("voice guidance on")
            self._announce(intro=[Say("on"), Say("help")])
        else:
            self.focusChanged.emit()
            if self._speaker is not None:
                self._speaker.silence()

    @Slot()
    def _on_screen(self) -> None:
        # after printing, the number follows "printing" rather than cutting it
        after_printing, self._screen = self._screen == "printing", str(self._model.screen)
        if self._model.voice:
            self._announce(interrupt=not after_printing)

    def _announce(self, *, keep_focus: bool = False, intro: list[Say] | None = None,
                  interrupt: bool = True) -> None:
        view = self.view()
        self._choices = choices(view)
        if not keep_focus or self._focus >= len(self._choices):
            self._focus = 0
        self.focusChanged.emit()
        self._say([*(intro or []), *screen_says(view), *self._current()], interrupt)

    def _current(self) -> list[Say]:
        if not self._choices:
            return []
        return [choice_say(self._choices[self._focus], self._focus, len(self._choices))]

    def _say(self, says: list[Say], interrupt: bool = True) -> None:
        lang = self._language()
        phrases = [Phrase(*render(say, lang, self._translate)) for say in says]
        for phrase in phrases:
            log.debug("say (%s): %s", phrase.lang, phrase.text)
        if self._speaker is not None:
            self._speaker.say(phrases, interrupt=interrupt)

    def view(self) -> View:
        model, lang = self._model, self._language()
        agency, service = model.agencyName, model.serviceName
        return View(screen=str(model.screen), lang=lang, mall=str(model.mallName),
                    agency=str(agency.get(lang) or agency.get("id") or ""),
                    service=str(service.get(lang) or service.get("id") or ""),
                    agencies=model.agencies.rows, services=model.services.rows,
                    ticket=dict(model.ticket), print_error=str(model.printError),
                    error=str(model.error), copy=str(model.copy))

    @property
    def focus(self) -> str:
        """The choice in focus, "action:value" (tests)."""
        if not self._choices:
            return ""
        choice = self._choices[self._focus]
        return f"{choice.action}:{choice.value}"

    def _focus_name(self) -> str:
        """The objectName of the item in focus on screen; "" while the voice is off."""
        if not self._model.voice or not self._choices:
            return ""
        choice = self._choices[self._focus]
        return focus_item(choice, str(self._model.screen))

    focusName = Property(str, _focus_name, notify=focusChanged)
    focusIndex = Property(int, lambda self: self._focus, notify=focusChanged)


ITEMS = {"start": "startButton", "language": "lang-{}", "agency": "agency-{}",
         "service": "service-{}", "priority": "priority-{}", "back": "backButton",
         "copy": "reprintButton"}


def focus_item(choice: Choice, screen: str) -> str:
    if choice.action == "done":
        return "refusedDone" if screen == "refused" else "doneButton"
    return ITEMS.get(choice.action, "").format(choice.value)
