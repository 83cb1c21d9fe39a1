#include "services/appjob/appjob_schema.h"

namespace causeway::services::appjob {
namespace {

using odata::EdmType;
using odata::FunctionParameter;
using odata::Property;
using odata::ReturnKind;

Property Key(std::string name, std::optional<int> len = std::nullopt, EdmType type = EdmType::kString) {
  return Property{.name = std::move(name), .type = type, .nullable = false, .max_length = len};
}
Property Str(std::string name, std::optional<int> len = std::nullopt, bool nullable = true) {
  return Property{.name = std::move(name), .type = EdmType::kString, .nullable = nullable, .max_length = len};
}
Property Typed(std::string name, EdmType type, bool nullable = true) {
  Property p{.name = std::move(name), .type = type, .nullable = nullable};
  if (type == EdmType::kDateTime) p.precision = 7;
  return p;
}
FunctionParameter Param(std::string name, std::optional<int> len = std::nullopt, EdmType type = EdmType::kString) {
  // PROXY marks every function-import parameter nullable; mandatory ones are checked by the
  // handlers with the APJ_RT messages the real service gives.
  return FunctionParameter{.name = std::move(name), .type = type, .nullable = true, .max_length = len};
}

const odata::Annotations kReadOnlySet = {
    {"creatable", "false"}, {"updatable", "false"}, {"deletable", "false"}, {"pageable", "false"}, {"content-version", "1"}};

}  // namespace

odata::Schema BuildAppJobSchema() {
  odata::Schema s;
  s.namespace_name = kNamespace;
  s.entity_types = {
      {.name = "FuncImpReturn", .keys = {"ReturnCode"}, .properties = {Key("ReturnCode", std::nullopt, EdmType::kInt16)}},
      {.name = "JobScheduleStatus",
       .keys = {"JobName", "JobRunCount"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Str("JobStatus", 1),
                      Typed("ReturnCode", EdmType::kInt16)}},
      {.name = "Jobinfo",
       .keys = {"JobName", "JobRunCount", "StepCount"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Key("StepCount", std::nullopt, EdmType::kInt32),
                      Str("JobStatus", 1), Typed("JobSdlDateTime", EdmType::kDateTime),
                      Typed("JobStartDateTime", EdmType::kDateTime), Typed("JobEndDateTime", EdmType::kDateTime),
                      Typed("JobAppRC", EdmType::kInt32), Str("StepStatus", 1),
                      Typed("StepStartDateTime", EdmType::kDateTime), Typed("StepAppRC", EdmType::kInt32)}},
      {.name = "Joblist",
       .keys = {"JobName", "JobRunCount"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Str("JobText", 120), Str("TemplateName", 40),
                      Str("JobCreator", 12, false), Str("Report", 40), Str("Variant", 14),
                      Typed("NrSteps", EdmType::kInt32), Str("JobStatus", 1, false), Str("JobLogStatus", 1, false),
                      Typed("JobCreaDateTime", EdmType::kDateTime, false), Typed("JobSchedDateTime", EdmType::kDateTime),
                      Typed("JobStartDateTime", EdmType::kDateTime), Typed("JobEndDateTime", EdmType::kDateTime),
                      Typed("StepStartDateTime", EdmType::kDateTime), Typed("JobAppRC", EdmType::kInt32),
                      Str("StepStatus", 1), Typed("StepApRC", EdmType::kInt32)}},
      {.name = "JobStatusInfo", .keys = {"JobStatus"}, .properties = {Key("JobStatus", 1), Str("JobStatusText", 60)}},
      {.name = "JobScheduleCheck",
       .keys = {"SuccessfulInd"},
       .properties = {Str("JobParameterValues"), Key("SuccessfulInd", std::nullopt, EdmType::kBoolean),
                      Typed("ChangedInd", EdmType::kBoolean), Str("DynamicProperties"), Str("ErrMessages")}},
      {.name = "JobParamValues", .keys = {"ParameterValues"}, .properties = {Key("ParameterValues")}},
      {.name = "JobParamValuesStruct",
       .keys = {"StepNr", "JobParameterName"},
       .properties = {Key("StepNr", std::nullopt, EdmType::kInt32), Key("JobParameterName", 38), Str("Sign", 1),
                      Str("Option", 2), Str("Low", 255), Str("High", 255)}},
      {.name = "JobTemplateParamValueData", .keys = {"TemplateData"}, .properties = {Key("TemplateData")}},
      {.name = "JobTemplate",
       .keys = {"JobTemplateName", "JobTemplateVersion"},
       .properties = {Key("JobTemplateName", 40), Key("JobTemplateVersion", 1), Str("JobReportName", 40),
                      Str("JobUserName", 12), Str("JobCatalogEntryName", 40), Typed("SupportsTestMode", EdmType::kBoolean),
                      Str("JobTemplateText", 120), Typed("CreationDateTime", EdmType::kDateTime),
                      Str("CreationUserName", 12), Typed("LastChangeDateTime", EdmType::kDateTime),
                      Str("LastChangeUserName", 12), Str("JobPeriodicGranularity", 2), Str("JobPeriodicValue", 3),
                      Str("JobTemplateLayerC", 1), Str("JobTemplateHiddenInd", 1), Str("JobCatalogEntryTypeC", 1),
                      Typed("JobTemplateStepCount", EdmType::kInt32), Str("JobTemplateSequence"),
                      Str("JobTemplateValues"), Str("Text", 120), Str("TextEn", 120), Str("JobCatalogEntryText", 120),
                      Str("CreationFormattedName", 255), Str("LastChangeFormattedName", 255)}},
      {.name = "JobHeader",
       .keys = {"JobName", "JobRunCount"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Str("JobText", std::nullopt, false),
                      Str("JobTemplateName", 40, false), Str("JobTemplateText", 120), Str("JobSeriesCreatedAt", 20),
                      Str("JobCreatedBy", 12), Str("JobStatus", 1), Str("JobPlannedStartDateTime", 20),
                      Str("JobCreaDateTime", 20), Str("JobStartDateTime", 20), Str("JobEndDateTime", 20),
                      Str("TaskEndDateTime", 20), Typed("Periodic", EdmType::kBoolean), Str("PeriodicMinutes", 2),
                      Str("PeriodicHours", 2), Str("PeriodicDays", 3), Str("PeriodicWeeks", 2), Str("PeriodicMonths", 2),
                      Typed("JobStepCount", EdmType::kInt32), Str("JobCreatedByFormattedName", 80),
                      Typed("JobEndMaxIterations", EdmType::kInt32), Str("FactoryCalendar", 2),
                      Str("StartRestrictionCode", 1), Str("TaskWeekDay", 7), Str("TaskWorkDayNo", 2),
                      Str("TaskWorkDirCdir", 2), Typed("TaskUseWorkdaysInd", EdmType::kBoolean), Str("TimeZone", 6),
                      Typed("JobHasResults", EdmType::kBoolean), Str("OrigJobName", 32), Str("OrigJobCount", 8),
                      Typed("JobRestartCount", EdmType::kInt32), Str("JobRunRestartMode", 1)},
       .navigation = {{.name = "JobStepSet", .relationship = "JobHeaderToJobStep", .from_role = "FromRole_JobHeaderToJobStep",
                       .to_role = "ToRole_JobHeaderToJobStep"}}},
      {.name = "JobStep",
       .keys = {"JobName", "JobRunCount", "StepNumber"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Key("StepNumber", std::nullopt, EdmType::kInt32),
                      Str("JobCatalogEntryName", 40), Str("JobCatalogEntryText", 120), Str("StepStartDateTime", 20),
                      Str("StepStatus", 1), Typed("StepAppRC", EdmType::kInt32),
                      Typed("StepHasResults", EdmType::kBoolean), Typed("NrOfLogs", EdmType::kInt32)},
       .navigation = {{.name = "JobStepLogInfoSet", .relationship = "JobStepToJobStepLogInfo",
                       .from_role = "FromRole_JobStepToJobStepLogInfo", .to_role = "ToRole_JobStepToJobStepLogInfo"}}},
      {.name = "JobStepLogInfo",
       .keys = {"JobName", "JobRunCount", "StepNumber", "LogHandle"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Key("StepNumber", std::nullopt, EdmType::kInt32),
                      Key("LogHandle", 22), Str("LogNumber", 20), Typed("MsgCntAll", EdmType::kInt32),
                      Typed("MsgCntA", EdmType::kInt32), Typed("MsgCntE", EdmType::kInt32),
                      Typed("MsgCntW", EdmType::kInt32), Typed("MsgCntI", EdmType::kInt32),
                      Typed("MsgCntS", EdmType::kInt32), Str("CreaDateTime", 20), Str("CreaUser", 12),
                      Str("CreaUserLong"), Str("Severity", 1), Str("SeverityText")},
       .navigation = {{.name = "JobLogMessageSet", .relationship = "JobStepLogInfoToJobLogMessage",
                       .from_role = "FromRole_JobStepLogInfoToJobLogMessage",
                       .to_role = "ToRole_JobStepLogInfoToJobLogMessage"}}},
      {.name = "JobLogMessage",
       .keys = {"JobName", "JobRunCount", "StepNumber", "LogHandle", "MsgNumber"},
       .properties = {Key("JobName", 32), Key("JobRunCount", 8), Key("StepNumber", std::nullopt, EdmType::kInt32),
                      Key("LogHandle", 22), Key("MsgNumber", 6), Str("MsgType", 1), Str("MsgId", 20), Str("MsgNo", 3),
                      Str("MsgV1"), Str("MsgV2", 50), Str("MsgV3", 50), Str("MsgV4", 50), Str("MsgText")}},
  };
  auto assoc = [](std::string name, std::string from, std::string to) {
    return odata::Association{.name = name,
                              .end1 = {.entity_type = std::move(from), .multiplicity = "1", .role = "FromRole_" + name},
                              .end2 = {.entity_type = std::move(to), .multiplicity = "*", .role = "ToRole_" + name},
                              .sap = {{"content-version", "1"}}};
  };
  s.associations = {assoc("JobHeaderToJobStep", "JobHeader", "JobStep"),
                    assoc("JobStepToJobStepLogInfo", "JobStep", "JobStepLogInfo"),
                    assoc("JobStepLogInfoToJobLogMessage", "JobStepLogInfo", "JobLogMessage")};
  auto set = [](std::string name, std::string type) {
    return odata::EntitySet{.name = std::move(name), .entity_type = std::move(type), .sap = kReadOnlySet};
  };
  s.entity_sets = {set("FuncImpReturnCollection", "FuncImpReturn"),
                   set("JobScheduleStatusCollection", "JobScheduleStatus"),
                   set("JobinfoSet", "Jobinfo"),
                   set("JoblistSet", "Joblist"),
                   set("JobStatusInfoSet", "JobStatusInfo"),
                   set("JobScheduleCheckCollection", "JobScheduleCheck"),
                   set("JobParamValuesSet", "JobParamValues"),
                   set("JobParamValuesStructSet", "JobParamValuesStruct"),
                   set("JobTemplateParamValueDataSet", "JobTemplateParamValueData"),
                   set("JobTemplateSet", "JobTemplate"),
                   set("JobHeaderSet", "JobHeader"),
                   set("JobStepSet", "JobStep"),
                   set("JobStepLogInfoSet", "JobStepLogInfo"),
                   set("JobLogMessageSet", "JobLogMessage")};
  auto assoc_set = [](std::string association, std::string from_set, std::string to_set) {
    return odata::AssociationSet{.name = association + "Set",
                                 .association = association,
                                 .end1 = {.role = "FromRole_" + association, .entity_set = std::move(from_set)},
                                 .end2 = {.role = "ToRole_" + association, .entity_set = std::move(to_set)},
                                 .sap = {{"creatable", "false"}, {"updatable", "false"}, {"deletable", "false"},
                                         {"content-version", "1"}}};
  };
  s.association_sets = {assoc_set("JobHeaderToJobStep", "JobHeaderSet", "JobStepSet"),
                        assoc_set("JobStepToJobStepLogInfo", "JobStepSet", "JobStepLogInfoSet"),
                        assoc_set("JobStepLogInfoToJobLogMessage", "JobStepLogInfoSet", "JobLogMessageSet")};
  auto fn = [](std::string name, std::string method, std::vector<FunctionParameter> params, ReturnKind kind,
               std::string type, std::string set_name) {
    return odata::FunctionImport{.name = std::move(name), .http_method = std::move(method), .parameters = std::move(params),
                                 .return_kind = kind, .return_type = std::move(type), .entity_set = std::move(set_name)};
  };
  const auto kOne = ReturnKind::kEntity;
  const auto kMany = ReturnKind::kEntityCollection;
  s.function_imports = {
      fn("JobSchedule", "POST",
         {Param("JobUserID", 12), Param("JobUserName", 40), Param("JobText", 120), Param("JobTemplateName", 40),
          Param("JobParameterValues"), Param("TestModeInd", std::nullopt, EdmType::kBoolean), Param("JobUser", 40),
          Param("JobParameterValuesSimple")},
         kOne, "JobScheduleStatus", "JobScheduleStatusCollection"),
      fn("JobStatusGet", "GET", {Param("JobName"), Param("JobRunCount")}, kOne, "JobScheduleStatus",
         "JobScheduleStatusCollection"),
      fn("JobAbort", "POST", {Param("JobRunCount", 14), Param("JobName", 32)}, kOne, "FuncImpReturn",
         "FuncImpReturnCollection"),
      fn("JobCancel", "POST", {Param("JobRunCount", 14), Param("JobName", 32)}, kOne, "FuncImpReturn",
         "FuncImpReturnCollection"),
      fn("JobRestart", "POST", {Param("JobName"), Param("JobRunCount"), Param("JobRestartMode")}, kOne,
         "JobScheduleStatus", "JobScheduleStatusCollection"),
      fn("JobinfoGet", "GET", {Param("JobName", 32), Param("JobRunCount", 8)}, kMany, "Jobinfo", "JobinfoSet"),
      fn("JobListGet", "GET",
         {Param("JobText", 120), Param("CreationTimeFrom", std::nullopt, EdmType::kDateTime),
          Param("CreationTimeTo", std::nullopt, EdmType::kDateTime), Param("TemplateName", 40),
          Param("JobCreator", 12), Param("Report", 40), Param("Variant", 14), Param("JobName", 32)},
         kMany, "Joblist", "JoblistSet"),
      fn("JobScheduleCheck", "POST",
         {Param("JobUser", 40), Param("JobParameterValues"), Param("JobTemplateName", 40),
          Param("JobParameterValuesSimple")},
         kOne, "JobScheduleCheck", "JobScheduleCheckCollection"),
      // PROXY gives JobName 14 / JobCount 32 here, which cannot hold a real JobName (spec §8.9);
      // they are left unbounded so that real job names are accepted.
      fn("JobParamValuesGet", "GET", {Param("JobName"), Param("JobCount")}, kOne, "JobParamValues",
         "JobParamValuesSet"),
      fn("JobParamValuesStructGet", "GET", {Param("JobName"), Param("JobCount")}, kMany, "JobParamValuesStruct",
         "JobParamValuesStructSet"),
      fn("TemplateValuesGet", "GET", {Param("JobTemplateName", 40)}, kOne, "JobParamValues", "JobParamValuesSet"),
      fn("TemplateValuesStructGet", "GET", {Param("JobTemplateName", 40)}, kMany, "JobParamValuesStruct",
         "JobParamValuesStructSet"),
      fn("JobTemplateRead", "GET", {Param("JobTemplateName", 40)}, kOne, "JobTemplateParamValueData",
         "JobTemplateParamValueDataSet"),
  };
  return s;
}

}  // namespace causeway::services::appjob
