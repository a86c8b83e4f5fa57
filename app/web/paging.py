"""Paginate any select() the same way on every list page."""
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import func, select


@dataclass
class Page:
    items: list
    page: int
    pages: int
    total: int


def paginate(session, stmt) -> Page:
    size = current_app.config["PAGE_SIZE"]
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, (total + size - 1) // size)
    page = min(page, pages)
    items = session.scalars(stmt.limit(size).offset((page - 1) * size)).unique().all()
    return Page(items=list(items), page=page, pages=pages, total=total)
