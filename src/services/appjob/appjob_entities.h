// Maps engine values (jobs, templates, parameters) to entities of the appjob model. Pure
// functions over the schema's entity types. Internal to appjob.
#pragma once

#include <string_view>
#include <vector>

#include "domain/jobs/job.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_log.h"
#include "odata/edm.h"
#include "odata/value.h"

namespace causeway::services::appjob {

// Fills an entity by property name; properties not set stay null.
class EntityBuilder {
 public:
  explicit EntityBuilder(const odata::EntityType& type) : type_(type) { entity_.values.resize(type.properties.size()); }
  EntityBuilder& Set(std::string_view property, odata::Value v);
  // Moves the entity out; the builder is empty afterwards.
  odata::Entity Build() { return std::move(entity_); }

 private:
  const odata::EntityType& type_;
  odata::Entity entity_;
};

odata::Value DateTimeValue(core::SystemTime t);
odata::Value DateTimeValue(const std::optional<core::SystemTime>& t);

odata::Entity ScheduleStatusEntity(const odata::EntityType& t, const jobs::Job& job);
odata::Entity FuncImpReturnEntity(const odata::EntityType& t);
std::vector<odata::Entity> JobinfoEntities(const odata::EntityType& t, const jobs::Job& job);
odata::Entity JoblistEntity(const odata::EntityType& t, const jobs::Job& job);
odata::Entity JobHeaderEntity(const odata::EntityType& t, const jobs::Job& job);
// nr_of_logs: how many JobStepLogInfo entities the step has (0 or 1, see StepLogEntities).
odata::Entity JobStepEntity(const odata::EntityType& t, const jobs::Job& job, const jobs::StepRun& step, int nr_of_logs);
// The LogHandle of a step's log: 22 characters, stable for (job, step): 16 upper-case hex
// digits of a hash of JobName/JobRunCount followed by the step number in 6 digits.
std::string LogHandle(const jobs::Job& job, int step_nr);
// JobStepLogInfo of a step log; only logs with messages are exposed (a step that never ran has
// no log, as an application log is created when its step writes the first message).
odata::Entity JobStepLogInfoEntity(const odata::EntityType& t, const jobs::Job& job, const jobs::StepLog& log);
odata::Entity JobLogMessageEntity(const odata::EntityType& t, const jobs::Job& job, const jobs::StepLog& log,
                                  const jobs::StepLogMessage& m);
odata::Entity JobTemplateEntity(const odata::EntityType& t, const jobs::JobTemplate& tmpl);
odata::Entity ScheduleCheckEntity(const odata::EntityType& t, const jobs::ScheduleCheck& check);
std::vector<odata::Entity> ParamStructEntities(const odata::EntityType& t, const std::vector<jobs::ParameterValue>& v);
// The TemplateData JSON of JobTemplateRead (shape as read by IBP clients, spec §1.3.4).
std::string TemplateDataJson(const jobs::JobTemplate& tmpl);

}  // namespace causeway::services::appjob
