"""Repositories: small classes of raw parameterised SQL that return pydantic models."""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database
from storage.repositories.broadcasts.outbox import OutboxRepository
from storage.repositories.core.audit import AuditRepository
from storage.repositories.core.persistence import PersistenceRepository
from storage.repositories.events.events import EventRepository
from storage.repositories.events.groups import GroupRepository
from storage.repositories.events.targets import TargetRepository
from storage.repositories.members.invitations import InvitationRepository
from storage.repositories.members.members import MemberRepository
from storage.repositories.members.reference import ReferenceRepository
from storage.repositories.operations.operations import OperationsRepository
from storage.repositories.suppliers.answers import AnswerRepository
from storage.repositories.suppliers.capabilities import CapabilityRepository
from storage.repositories.suppliers.privacy import SupplierPersonalData
from storage.repositories.suppliers.sourcing import SourcingRepository
from storage.repositories.surveys.repository import SurveyRepository


@dataclass(frozen=True)
class Repositories:
    """Every repository over one database, built once and shared by all handlers."""

    members: MemberRepository
    reference: ReferenceRepository
    audit: AuditRepository
    outbox: OutboxRepository
    invitations: InvitationRepository
    persistence: PersistenceRepository
    targets: TargetRepository
    events: EventRepository
    groups: GroupRepository
    surveys: SurveyRepository
    operations: OperationsRepository
    capabilities: CapabilityRepository
    sourcing: SourcingRepository
    sourcing_answers: AnswerRepository

    @classmethod
    def over(cls, db: Database) -> Repositories:
        return cls(
            # Features' personal data kept in their own tables, for /mydata and /forget.
            members=MemberRepository(db, sections=(SupplierPersonalData(),)),
            reference=ReferenceRepository(db),
            audit=AuditRepository(db),
            outbox=OutboxRepository(db),
            invitations=InvitationRepository(db),
            persistence=PersistenceRepository(db),
            targets=TargetRepository(db),
            events=EventRepository(db),
            groups=GroupRepository(db),
            surveys=SurveyRepository(db),
            operations=OperationsRepository(db),
            capabilities=CapabilityRepository(db),
            sourcing=SourcingRepository(db),
            sourcing_answers=AnswerRepository(db),
        )
