"""The demo's sample illustrations, drawn by the project with Pillow: abstract pictures, no photograph of anyone.

Each motif is drawn from a fixed seed, so the same picture comes out on every machine and every run (the loader
makes them when it builds the demo; nothing binary is committed). They are drawn at twice their size and scaled
down, which smooths the edges Pillow's shapes leave jagged. ``demo/content/illustrations.json`` says which page
shows which motif and describes each one (its alternative text, in English and Arabic).
"""

import io
import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900
SCALE = 2  # drawn at twice the size, then scaled down
PALETTE = {
    "paper": (245, 248, 251),
    "blue": (0, 90, 156),
    "dark": (0, 63, 110),
    "sky": (120, 170, 210),
    "gold": (242, 169, 0),
    "green": (46, 139, 87),
    "rose": (200, 80, 90),
}


def _bridge(draw, rng, w, h):
    """Two blue hills joined by an arc of gold dots."""
    draw.ellipse((-0.25 * w, 0.55 * h, 0.35 * w, 1.5 * h), fill=PALETTE["blue"])
    draw.ellipse((0.65 * w, 0.55 * h, 1.25 * w, 1.5 * h), fill=PALETTE["dark"])
    for step in range(25):
        t = step / 24
        x = 0.2 * w + t * 0.6 * w
        y = 0.62 * h - math.sin(t * math.pi) * 0.4 * h
        r = (0.012 + 0.006 * rng.random()) * w
        draw.ellipse((x - r, y - r, x + r, y + r), fill=PALETTE["gold"])


def _circles(draw, rng, w, h):
    """Overlapping circles in blue, green and gold meeting in the middle."""
    colours = ["blue", "green", "gold", "sky", "dark"]
    for index in range(9):
        angle = index / 9 * 2 * math.pi + rng.random() * 0.3
        cx = w / 2 + math.cos(angle) * 0.22 * w
        cy = h / 2 + math.sin(angle) * 0.25 * h
        r = (0.12 + 0.05 * rng.random()) * w
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=PALETTE[colours[index % 5]], width=int(0.012 * w))


def _network(draw, rng, w, h):
    """Dots in four colours joined by lines into a network."""
    nodes = [(rng.uniform(0.08, 0.92) * w, rng.uniform(0.12, 0.88) * h) for _ in range(16)]
    for x1, y1 in nodes:
        nearest = sorted(nodes, key=lambda node: (node[0] - x1) ** 2 + (node[1] - y1) ** 2)[1:3]
        for x2, y2 in nearest:
            draw.line((x1, y1, x2, y2), fill=PALETTE["sky"], width=int(0.005 * w))
    colours = ["blue", "green", "gold", "rose"]
    for i, (x, y) in enumerate(nodes):
        r = (0.018 + 0.012 * rng.random()) * w
        draw.ellipse((x - r, y - r, x + r, y + r), fill=PALETTE[colours[i % 4]])


def _horizon(draw, rng, w, h):
    """Wavy bands in shades of blue under a gold sun."""
    r = 0.11 * w
    draw.ellipse((0.68 * w - r, 0.3 * h - r, 0.68 * w + r, 0.3 * h + r), fill=PALETTE["gold"])
    shades = ["sky", "blue", "dark"]
    for band, shade in enumerate(shades):
        base = (0.5 + band * 0.17) * h
        phase = rng.random() * math.pi
        points = [(x, base + math.sin(x / w * 3 * math.pi + phase) * 0.04 * h) for x in range(0, w + 1, w // 80)]
        draw.polygon([*points, (w, h), (0, h)], fill=PALETTE[shade])


def _squares(draw, rng, w, h):
    """A grid of squares on blue, some of them gold."""
    draw.rectangle((0, 0, w, h), fill=PALETTE["dark"])
    size, gap = w // 16, w // 64
    for row in range(h // (size + gap) + 1):
        for column in range(16):
            x, y = column * (size + gap) + gap, row * (size + gap) + gap
            colour = PALETTE["gold"] if rng.random() < 0.18 else PALETTE["blue"]
            draw.rectangle((x, y, x + size - gap, y + size - gap), fill=colour)


MOTIFS = {"bridge": _bridge, "circles": _circles, "network": _network, "horizon": _horizon, "squares": _squares}


def draw(motif, seed):
    """The PNG bytes of ``motif`` drawn from ``seed`` (the same bytes for the same arguments)."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    picture = Image.new("RGB", (w, h), PALETTE["paper"])
    MOTIFS[motif](ImageDraw.Draw(picture), random.Random(seed), w, h)  # noqa: S311 - shapes, not secrets  # nosec B311
    picture = picture.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    picture.save(output, format="PNG", optimize=True)
    return output.getvalue()
