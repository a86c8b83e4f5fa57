"""Deploying diagrams: the shipped files as version 1 on first start, later versions by HR."""
from pathlib import Path

from sqlalchemy.orm import Session

from app.engine import interchange, operations, specs
from app.models import ProcessVersion
from app.services import complaint_operations as _complaint_ops, operations as _cycle_ops  # noqa: F401  (register the operators)
from app.services.task_handlers import FORM_KEYS

WORKFLOWS_DIR = Path(__file__).resolve().parents[2] / "workflows"


def deploy_xml(session: Session, xml: str, user_id: int | None = None, note: str = "") -> ProcessVersion:
    """Deploy a diagram from this product or from another BPMN tool (read in this product's terms)."""
    return specs.deploy(session, interchange.from_other_tools(xml), FORM_KEYS, operations.names(),
                        deployed_by_id=user_id, note=note)


def deploy_shipped(session: Session) -> list[ProcessVersion]:
    """Deploy each shipped diagram whose process has no version yet; running cases are untouched."""
    deployed = []
    for path in sorted(WORKFLOWS_DIR.glob("*.bpmn")):
        xml = path.read_text(encoding="utf-8")
        parsed = specs.validate(xml, FORM_KEYS, operations.names())
        if specs.active_version(session, parsed.process_id) is None:
            deployed.append(deploy_xml(session, xml, note=f"Berkas bawaan {path.name}"))
    session.commit()
    return deployed
