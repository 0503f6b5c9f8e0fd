"""The four linked panes of the main screen. Each gets data pushed down and posts messages up."""

from partnership_tui.tui.panes.detail import DetailList, DetailPane
from partnership_tui.tui.panes.entities import EntitiesPane, EntityList, FilterInput
from partnership_tui.tui.panes.excerpts import ExcerptsList, ExcerptsPane
from partnership_tui.tui.panes.timeline import TimelineList, TimelinePane

__all__ = [
    "DetailList",
    "DetailPane",
    "EntitiesPane",
    "EntityList",
    "ExcerptsList",
    "ExcerptsPane",
    "FilterInput",
    "TimelineList",
    "TimelinePane",
]
