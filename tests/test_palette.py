"""The palettes stay readable for colour-blind viewers (simulated with Machado et al. 2009)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from geo.view.colours import CHANGE_COLOURS, PALETTE

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def lab(colour: str, simulation: str) -> np.ndarray:
    """CIELAB (D65) of a hex colour as seen under ``simulation``."""
    srgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(SIMULATIONS[simulation] @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, simulation: str) -> float:
    return float(np.linalg.norm(lab(a, simulation) - lab(b, simulation)))


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
@pytest.mark.parametrize("name", sorted(PALETTE))
def test_count_classes_get_darker_step_by_step_for_every_viewer(name, simulation):
    lightness = [lab(c, simulation)[0] for c in PALETTE[name].ramp]
    assert all(a - b >= 8 for a, b in pairwise(lightness)), lightness


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
@pytest.mark.parametrize("name", sorted(PALETTE))
def test_cuba_stands_apart_from_every_class_and_from_the_land(name, simulation):
    palette = PALETTE[name]
    others = [*palette.ramp, palette.land, palette.sea]
    assert min(delta_e(palette.cuba, c, simulation) for c in others) >= 20


@pytest.mark.parametrize("simulation", sorted(SIMULATIONS))
def test_change_outlines_are_distinguishable(simulation):
    colours = list(CHANGE_COLOURS.values())
    pairs = [(a, b) for i, a in enumerate(colours) for b in colours[i + 1:]]
    assert min(delta_e(a, b, simulation) for a, b in pairs) >= 8
