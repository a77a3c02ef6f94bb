"""Short chimes synthesised in code (no sound files, no numpy).

A chime is a few sine partials with a soft attack and an exponential decay,
written as 16-bit samples with ``array`` and handed to
``pygame.mixer.Sound(buffer=...)``. Every call is safe without a sound
device: if the mixer cannot start, the client is simply silent.
"""

from __future__ import annotations

import math
from array import array

import pygame

RATE = 22050


def chime_samples(freqs: tuple[float, ...], seconds: float, *, channels: int = 2,
                  rate: int = RATE, volume: float = 0.35) -> array[int]:
    """Interleaved signed 16-bit samples of a bell-like chime."""
    n = int(seconds * rate)
    out: array[int] = array("h")
    attack = int(0.008 * rate)
    for i in range(n):
        t = i / rate
        env = math.exp(-4.5 * t / seconds) * min(1.0, i / attack if attack else 1.0)
        value = 0.0
        for k, f in enumerate(freqs):
            value += math.sin(2 * math.pi * f * t) / (k + 1.5)
            value += 0.25 * math.sin(2 * math.pi * f * 2.76 * t) * math.exp(-9 * t) / (k + 2)
        sample = int(max(-1.0, min(1.0, value * volume * env)) * 32767)
        for _ in range(channels):
            out.append(sample)
    return out


_CHIMES: dict[str, tuple[tuple[float, ...], float, float]] = {
    "bulb": ((880.0, 1318.5), 0.7, 0.35),
    "unlock": ((523.3, 659.3, 784.0, 1046.5), 1.4, 0.3),
    "soft": ((440.0,), 0.35, 0.2),
}


class Sounds:
    """The client's few sounds; silent when the mixer is unavailable."""

    def __init__(self, volume: float) -> None:
        self.volume = volume
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._format = (RATE, 2)
        self.available = False
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=RATE, size=-16, channels=2)
            init = pygame.mixer.get_init()
            if init is None:
                return
            rate, _, channels = init
            self._format = (rate, channels)
            self.available = True
        except (pygame.error, NotImplementedError, OSError):
            self.available = False

    def _build(self, name: str) -> pygame.mixer.Sound | None:
        # synthesised on first use so start-up stays fast
        if not self.available or name not in _CHIMES:
            return None
        rate, channels = self._format
        freqs, seconds, volume = _CHIMES[name]
        sound = pygame.mixer.Sound(buffer=chime_samples(
            freqs, seconds, channels=channels, rate=rate, volume=volume).tobytes())
        self._sounds[name] = sound
        return sound

    def play(self, name: str) -> None:
        if self.volume <= 0:
            return
        try:
            sound = self._sounds.get(name) or self._build(name)
            if sound is None:
                return
            sound.set_volume(self.volume)
            sound.play()
        except (pygame.error, NotImplementedError):
            pass
