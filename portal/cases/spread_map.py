"""The geometry of the /adoption diagram: the city and its counties as a ring of nodes, practices as arrows.

A schematic, not a map: no tiles or outlines are needed, it prints, and it works for any region tree.
The city sits in the middle, its counties around it in taxonomy order; an arrow runs from the region
a practice comes from to each region that took it up, thicker for more practices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from portal.cases.adoption import Flow
from portal.cases.models import Region

WIDTH, HEIGHT = 760, 600
CENTER = (WIDTH / 2, HEIGHT / 2 + 10)
RING = 220
NODE_RADIUS, CITY_RADIUS = 38, 48


@dataclass
class Node:
    region: Region
    x: float
    y: float
    radius: float
    received: int = 0
    sent: int = 0
    within: int = 0  # practices spread inside the same county


@dataclass
class Arrow:
    flow: Flow
    path: str
    width: float
    label_x: float
    label_y: float


@dataclass
class SpreadMap:
    nodes: list[Node]
    arrows: list[Arrow]
    citywide: list[Flow]
    width: int = WIDTH
    height: int = HEIGHT
    ring_radius: float = RING + NODE_RADIUS + 18
    center: tuple[float, float] = CENTER

    @property
    def citywide_count(self) -> int:
        return len({case.id for flow in self.citywide for case in flow.cases})


def layout(root: Region | None) -> list[Node]:
    """The city in the middle and its direct children evenly round it, the first at the top."""
    if root is None:
        return []
    nodes = [Node(root, *CENTER, CITY_RADIUS)]
    count = len(root.children)
    for index, child in enumerate(root.children):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        nodes.append(Node(child, CENTER[0] + RING * math.cos(angle), CENTER[1] + RING * math.sin(angle),
                          NODE_RADIUS))
    return nodes


def arrow_between(start: Node, end: Node, flow: Flow) -> Arrow:
    """A curved arrow from edge to edge that bows inside the ring of counties (passing none of them) but
    clear of the city in the middle, a little to its own right so two directions between a pair stay apart."""
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy) or 1
    ux, uy = dx / length, dy / length
    x1, y1 = start.x + ux * (start.radius + 4), start.y + uy * (start.radius + 4)
    x2, y2 = end.x - ux * (end.radius + 10), end.y - uy * (end.radius + 10)
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    away_x, away_y = mx - CENTER[0], my - CENTER[1]
    distance = math.hypot(away_x, away_y)
    if distance < 1:  # opposite counties: bow sideways
        away_x, away_y, distance = -uy, ux, 1.0
    reach = max(distance - 0.25 * length, CITY_RADIUS + 40)
    # The curve's midpoint lands `reach` from the centre, nudged to the arrow's right.
    tx = CENTER[0] + away_x / distance * reach - uy * 0.06 * length
    ty = CENTER[1] + away_y / distance * reach + ux * 0.06 * length
    if start.radius == CITY_RADIUS or end.radius == CITY_RADIUS:
        tx, ty = mx - uy * 0.06 * length, my + ux * 0.06 * length  # from or to the city: nearly straight
    cx, cy = 2 * tx - mx, 2 * ty - my
    path = f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"
    return Arrow(flow, path, 1.5 + 1.5 * min(len(flow.cases), 5), tx, ty)


def build(root: Region | None, flows: list[Flow]) -> SpreadMap:
    """Place the nodes, tally each one's practices, and draw an arrow per flow between two places."""
    nodes = layout(root)
    by_id = {node.region.id: node for node in nodes}
    arrows, citywide = [], []
    for flow in flows:
        start, end = by_id.get(flow.origin.id), by_id.get(flow.target.id)
        if start is None or end is None:
            continue
        if root is not None and flow.target.id == root.id:
            citywide.append(flow)  # taken up across the whole city, wherever it came from
            continue
        if start is end:
            start.within += len(flow.cases)
            continue
        start.sent += len(flow.cases)
        end.received += len(flow.cases)
        arrows.append(arrow_between(start, end, flow))
    return SpreadMap(nodes, arrows, citywide)
