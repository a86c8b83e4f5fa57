"""Deploying diagrams: the shipped files as version 1 on first start, later versions by HR."""

from sqlalchemy.orm import Session

from app.config import ROOT
from app.engine import interchange, operations, specs
from app.models import ProcessVersion
from app.services.tasks import types as task_types

WORKFLOWS_DIR = ROOT / "workflows"


def deploy_xml(session: Session, xml: str, user_id: int | None = None, note: str = "") -> ProcessVersion:
    """Deploy a diagram from this product or from another BPMN tool (read in this product's terms)."""
    return specs.deploy(session, interchange.from_other_tools(xml), task_types.keys(), operations.names(),
                        deployed_by_id=user_id, note=note)


def deploy_shipped(session: Session) -> list[ProcessVersion]:
    """Deploy each shipped diagram whose process has no version yet; running cases are untouched."""
    deployed = []
    for path in sorted(WORKFLOWS_DIR.glob("*.bpmn")):
        xml = path.read_text(encoding="utf-8")
        parsed = specs.validate(xml, task_types.keys(), operations.names())
        if specs.active_version(session, parsed.process_id) is None:
            deployed.append(deploy_xml(session, xml, note=f"Berkas bawaan {path.name}"))
    session.flush()
    return deployed
