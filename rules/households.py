"""Who counts with whom: tax households (26 USC 36B) and Medicaid households (42 CFR 435.603(f))."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from rules.household import FilingStatus, Household, Member, RelationshipType

PARENT_TYPES = frozenset({RelationshipType.PARENT, RelationshipType.STEPPARENT})
_EMPTY: set[str] = set()


@dataclass(slots=True)
class Relations:
    """The relationship graph of one application (all members live together)."""

    spouses: dict[str, set[str]] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)  # child -> parents (incl. step)
    children: dict[str, set[str]] = field(default_factory=dict)  # parent -> children (incl. step)
    cares_for: dict[str, set[str]] = field(default_factory=dict)  # parent or caretaker -> children
    caretakers: dict[str, set[str]] = field(default_factory=dict)  # child -> caretaker relatives
    siblings: dict[str, set[str]] = field(default_factory=dict)

    def spouse_of(self, member_id: str) -> set[str]:
        return self.spouses.get(member_id, set())

    def parents_of(self, member_id: str) -> set[str]:
        return self.parents.get(member_id, set())

    def children_of(self, member_id: str) -> set[str]:
        return self.children.get(member_id, _EMPTY)

    def cared_for_by(self, member_id: str) -> set[str]:
        """Children this member is parent, step-parent or caretaker relative of."""
        return self.cares_for.get(member_id, _EMPTY)

    def siblings_of(self, member_id: str) -> set[str]:
        out = set(self.siblings.get(member_id, set()))
        for parent in self.parents_of(member_id):
            out.update(self.children_of(parent))
        out.discard(member_id)
        return out


def build_relations(household: Household) -> Relations:
    rel = Relations()
    spouses, parents, children = rel.spouses, rel.parents, rel.children
    caretakers, cares_for, siblings = rel.caretakers, rel.cares_for, rel.siblings
    grandparents: list[tuple[str, str]] = []
    for r in household.relationships:
        a, b, kind = r.from_id, r.to_id, r.type
        if kind is RelationshipType.SPOUSE:
            spouses.setdefault(a, set()).add(b)
            spouses.setdefault(b, set()).add(a)
        elif kind in PARENT_TYPES:
            parents.setdefault(b, set()).add(a)
            children.setdefault(a, set()).add(b)
            cares_for.setdefault(a, set()).add(b)
        elif kind is RelationshipType.CARETAKER:
            caretakers.setdefault(b, set()).add(a)
            cares_for.setdefault(a, set()).add(b)
        elif kind is RelationshipType.SIBLING:
            siblings.setdefault(a, set()).add(b)
            siblings.setdefault(b, set()).add(a)
        elif kind is RelationshipType.GRANDPARENT:
            grandparents.append((a, b))
    # A grandparent of a child with no parent in the application is the child's caretaker relative
    # (42 CFR 435.4, "caretaker relative").
    for a, b in grandparents:
        if not parents.get(b):
            caretakers.setdefault(b, set()).add(a)
            cares_for.setdefault(a, set()).add(b)
    for m in household.members:
        spouse = m.tax.spouse_id
        if spouse:
            spouses.setdefault(m.id, set()).add(spouse)
            spouses.setdefault(spouse, set()).add(m.id)
    return rel


class TaxUnit(NamedTuple):
    filers: tuple[str, ...]  # the primary filer, and the spouse on a joint return
    dependents: tuple[str, ...]
    filing_separately: bool  # married filing separately without the abuse/abandonment exception
    members: tuple[str, ...]  # filers, then dependents
    member_set: frozenset[str]
    sorted_members: tuple[str, ...]


def tax_units(household: Household) -> list[TaxUnit]:
    """One unit per return: a filer not claimed by anyone, a joint spouse, and their dependents."""
    members = household.members
    claimed: dict[str, list[str]] = {}
    for d in members:
        if d.tax.claimed_by is not None:
            claimed.setdefault(d.tax.claimed_by, []).append(d.id)
    by_id: dict[str, Member] | None = None
    seen: set[str] = set()
    units: list[TaxUnit] = []
    for m in members:
        tax = m.tax
        if not tax.filer or tax.claimed_by is not None or m.id in seen:
            continue
        filers = [m.id]
        if by_id is None and len(members) > 1:
            by_id = {x.id: x for x in members}
        spouse = _joint_spouse(m, by_id) if by_id is not None else None
        if spouse is not None and spouse.id not in seen:
            filers.append(spouse.id)
        seen.update(filers)
        deps: list[str] = []
        for filer in filers:
            deps.extend(d for d in claimed.get(filer, ()) if d not in seen)
        dependents = tuple(deps)
        seen.update(dependents)
        separately = (
            tax.filing_status is FilingStatus.MARRIED_FILING_SEPARATELY and not tax.mfs_exception
        )
        unit_members = (*filers, *dependents)
        units.append(
            TaxUnit(
                tuple(filers),
                dependents,
                separately,
                unit_members,
                frozenset(unit_members),
                tuple(sorted(unit_members)),
            )
        )
    return units


def _joint_spouse(m: Member, by_id: dict[str, Member]) -> Member | None:
    if m.tax.filing_status is FilingStatus.MARRIED_FILING_JOINTLY and m.tax.spouse_id:
        return by_id.get(m.tax.spouse_id)
    for other in by_id.values():
        if (
            other.id != m.id
            and other.tax.spouse_id == m.id
            and other.tax.filing_status is FilingStatus.MARRIED_FILING_JOINTLY
        ):
            return other
    return None


def medicaid_household(
    member: Member,
    by_id: dict[str, Member],
    rel: Relations,
    units_by_member: dict[str, TaxUnit],
    ages: dict[str, int],
    child_max: int,
) -> tuple[str, ...]:
    """The member's Medicaid household under 42 CFR 435.603(f), as member ids (sorted)."""
    claimer = member.tax.claimed_by
    if member.tax.filer and not claimer:
        ids = _filer_household(member.id, units_by_member)
    elif claimer and not _dependent_exception(member, claimer, rel, by_id, ages, child_max):
        ids = _filer_household(claimer, units_by_member)
        ids.add(member.id)
    else:
        ids = _non_filer_household(member.id, rel, ages, child_max)
    # (f)(4): spouses living together are in each other's household.
    ids.update(rel.spouse_of(member.id))
    return tuple(sorted(ids))


def _filer_household(filer_id: str, units_by_member: dict[str, TaxUnit]) -> set[str]:
    unit = units_by_member[filer_id]
    # (f)(1): the filer and everyone the filer (or the joint spouse) claims; (f)(4) adds the spouse.
    return set(unit.members)


def _dependent_exception(
    member: Member,
    claimer: str,
    rel: Relations,
    by_id: dict[str, Member],
    ages: dict[str, int],
    child_max: int,
) -> bool:
    """(f)(2)(i)-(iii): a dependent who is not the claimer's spouse or child, or a child living with
    both parents who do not file jointly, uses the non-filer rules."""
    parents = rel.parents_of(member.id)
    if claimer not in parents and claimer not in rel.spouse_of(member.id):
        return True
    if ages[member.id] <= child_max and len(parents) >= 2:
        claimer_member = by_id[claimer]
        joint = (
            claimer_member.tax.filing_status is FilingStatus.MARRIED_FILING_JOINTLY
            and claimer_member.tax.spouse_id in parents
        ) or any(
            by_id[p].tax.spouse_id == claimer
            and by_id[p].tax.filing_status is FilingStatus.MARRIED_FILING_JOINTLY
            for p in parents
            if p in by_id and p != claimer
        )
        if not joint:
            return True
    return False


def _non_filer_household(
    member_id: str, rel: Relations, ages: dict[str, int], child_max: int
) -> set[str]:
    """(f)(3): the individual, spouse, own children under 19; a child adds parents and siblings."""
    ids = {member_id}
    ids.update(rel.spouse_of(member_id))
    ids.update(c for c in rel.children_of(member_id) if ages.get(c, 99) <= child_max)
    if ages[member_id] <= child_max:
        ids.update(rel.parents_of(member_id))
        ids.update(s for s in rel.siblings_of(member_id) if ages.get(s, 99) <= child_max)
    return ids
