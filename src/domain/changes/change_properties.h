// The wire properties of a Change (names, values, which are writable, how relations resolve)
// in one table, so that reads, writes, layouts, filters and workflow requirements agree.
//
// Properties (README "Properties"): Id, DisplayLabel, Description, ChangeType, ChangeModel,
// PhaseId, MetaphaseId (read-only), Urgency, ImpactScope, Priority (read-only, derived),
// ReasonForChange, Justification, Category, AffectsActualService, RequestedByPerson (person
// id), OwningGroup (group id), CompletionCode, EmsCreationTime, LastUpdateTime (read-only,
// epoch ms) and custom fields ending in "_c". ChangeAttachments is handled by the caller (its
// wire form is a JSON string). Relations are also written by key: RequestedByPerson.Email,
// RequestedByPerson.Upn, RequestedByPerson.Name, OwningGroup.Name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/changes/change.h"
#include "domain/changes/directory.h"
#include "domain/changes/workflow.h"

namespace causeway::changes {

inline constexpr std::string_view kAttachmentsProperty = "ChangeAttachments";

// Every property of `c` in the table's order (Id first), then its custom fields; relations as
// ids; MetaphaseId from `workflows` ("" when the phase is unknown).
PropertyList WireProperties(const Change& c, const WorkflowSet& workflows);
// The names of the property table, in WireProperties' order (custom fields not included).
const std::vector<std::string_view>& WirePropertyNames();
// One property by name (ChangeAttachments excluded); nullopt for an unknown name.
std::optional<PropertyValue> PropertyOf(const Change& c, std::string_view name, const WorkflowSet& workflows);
// Properties a workflow transition may require (every writable one, ChangeAttachments too).
bool IsRequirableProperty(std::string_view name);
// Whether `name` holds a value (non-empty text; a non-empty attachment list).
bool HasValue(const Change& c, std::string_view name);

// Applies `props` in order. Errors (CAUSEWAY/CX, change_errors.h): 010 unknown property, 011
// read-only (Id only when it differs from c.id), 012 a value outside its vocabulary (Urgency,
// ImpactScope, CompletionCode, ChangeType), 013 a relation to nothing, 014 a wrong JSON type.
// Sets phase_id as asked: the caller checks the phase change (CheckPhaseChange).
core::Status ApplyProperties(const PropertyList& props, const Tenant& tenant, const WorkflowSet& workflows, Change& c);

// related_properties: per relation set on `c`, the related record's fields
// (RequestedByPerson: Id, Name, FirstName, LastName, Email, Upn; OwningGroup: Id, Name,
// ExternalSystem).
std::vector<std::pair<std::string, PropertyList>> RelatedProperties(const Change& c, const Tenant& tenant);

}  // namespace causeway::changes
