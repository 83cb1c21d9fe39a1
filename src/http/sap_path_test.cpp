#include "http/sap_path.h"

#include <gtest/gtest.h>

namespace causeway::http {
namespace {

struct Case {
  const char* target;
  const char* service;
  int version;
  const char* resource;
  const char* query;
  const char* client;
  const char* language;
};

TEST(SapPathTest, AcceptsEveryFormClientsUse) {
  const Case cases[] = {
      {"/sap/opu/odata/SAP/BC_EXT_APPJOB_MANAGEMENT;v=0002/", "BC_EXT_APPJOB_MANAGEMENT", 2, "", "", "", ""},
      {"/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=2/JobStatusGet?JobName='A'&JobRunCount='B'",
       "BC_EXT_APPJOB_MANAGEMENT", 2, "JobStatusGet", "JobName='A'&JobRunCount='B'", "", ""},
      {"/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT?v=2/$metadata", "BC_EXT_APPJOB_MANAGEMENT", 2, "$metadata", "",
       "", ""},
      {"/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT?v=2/JobSchedule/?JobTemplateName='T'&JobText='x'&JobUser='U'",
       "BC_EXT_APPJOB_MANAGEMENT", 2, "JobSchedule", "JobTemplateName='T'&JobText='x'&JobUser='U'", "", ""},
      {"/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT?v=2/JobStatusGet?JobName='A'&JobRunCount='B'",
       "BC_EXT_APPJOB_MANAGEMENT", 2, "JobStatusGet", "JobName='A'&JobRunCount='B'", "", ""},
      {"/SAP/OPU/ODATA/SALM/EXT_INTEGRATION_SRV/StatusSet(Guid='1')?sap-client=100&sap-language=DE",
       "EXT_INTEGRATION_SRV", 1, "StatusSet(Guid='1')", "", "100", "DE"},
      {"/sap/opu/odata/sap/SVC/JobTemplateSet?v=2&$top=1&saml2=disabled", "SVC", 2, "JobTemplateSet", "$top=1", "",
       ""},
      {"/sap/opu/odata/sap/SVC", "SVC", 1, "", "", "", ""},
      {"/sap/opu/odata/sap/SVC;o=LOCAL;v=0003/Set", "SVC", 3, "Set", "", "", ""},
      {"/opu/odata/SALM/EXT_INTEGRATION_SRV/StatusSet(Guid='00505683226E1EE5B5AA9CEE1DADAC68')",
       "EXT_INTEGRATION_SRV", 1, "StatusSet(Guid='00505683226E1EE5B5AA9CEE1DADAC68')", "", "", ""},
      // Clients that encode every '$'.
      {"/sap/opu/odata/sap/SVC;v=2/%24metadata", "SVC", 2, "$metadata", "", "", ""},
      {"/sap/opu/odata/sap/SVC;v=2/%24batch?sap-client=100", "SVC", 2, "$batch", "", "100", ""},
  };
  for (const Case& c : cases) {
    auto p = ParseSapODataPath(c.target);
    ASSERT_TRUE(p.has_value()) << c.target;
    EXPECT_EQ(p->service, c.service) << c.target;
    EXPECT_EQ(p->version, c.version) << c.target;
    EXPECT_EQ(p->resource_path, c.resource) << c.target;
    EXPECT_EQ(p->query, c.query) << c.target;
    EXPECT_EQ(p->sap_client, c.client) << c.target;
    EXPECT_EQ(p->sap_language, c.language) << c.target;
  }
}

TEST(SapPathTest, BuildsCanonicalRootKeepingTheNamespaceAsSent) {
  auto p = ParseSapODataPath("/sap/opu/odata/SAP/BC_EXT_APPJOB_MANAGEMENT?v=2/$metadata");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->root_path, "/sap/opu/odata/SAP/BC_EXT_APPJOB_MANAGEMENT;v=0002/");
}

TEST(SapPathTest, RootCarriesTheVersionOnlyWhenTheClientNamedOne) {
  struct Case {
    const char* target;
    const char* root;
  };
  const Case cases[] = {
      {"/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/StatusSet", "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"},
      {"/opu/odata/SALM/EXT_INTEGRATION_SRV/", "/opu/odata/SALM/EXT_INTEGRATION_SRV/"},
      {"/sap/opu/odata/SALM/EXT_INTEGRATION_SRV;v=1/", "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV;v=1/"},
      {"/sap/opu/odata/sap/SVC/Set?v=2", "/sap/opu/odata/sap/SVC;v=0002/"},
      {"/sap/opu/odata/sap/SVC;v=0002/", "/sap/opu/odata/sap/SVC;v=0002/"},
      // The seed: a request to ";v=2" is answered with xml:base and ids under ";v=2".
      {"/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=2/JobTemplateSet",
       "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=2/"},
  };
  for (const Case& c : cases) {
    auto p = ParseSapODataPath(c.target);
    ASSERT_TRUE(p) << c.target;
    EXPECT_EQ(p->root_path, c.root) << c.target;
  }
}

TEST(SapPathTest, RejectsOtherPaths) {
  for (const char* t : {"/", "/sap/opu/odata/", "/sap/opu/odata/sap", "/sap/opu/odata/sap/", "/other/x",
                        "/sap/opu/odata?x=/y/z", "/opu/odata/", "/opu/odata/SALM", "/sap/opu/odatax/S/V"})
    EXPECT_FALSE(ParseSapODataPath(t).has_value()) << t;
}

}  // namespace
}  // namespace causeway::http
