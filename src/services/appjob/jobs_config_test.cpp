// [jobs] and [[jobs.templates]] of causeway.toml, as the job module reads them.
#include "services/appjob/jobs_config.h"

#include <gtest/gtest.h>

namespace causeway::services::appjob {
namespace {

core::Result<JobsConfig> Parse(const char* text) { return ParseJobsConfig(toml::parse(text)); }

TEST(JobsConfigTest, LoadsJobTemplates) {
  auto c = Parse(R"(
[[jobs.templates]]
name = "/Z/NIGHTLY"
version = "1"
text = "Nightly"
report = "ZLOAD"
supports_test_mode = true
allowed_users = ["PLANNER"]
[[jobs.templates.steps]]
kind = "command"
argv = ["/bin/echo", "hi"]
env = { TARGET = "prod" }
timeout_s = 60
[[jobs.templates.parameters]]
name = "P_DATE"
step = 1
default = "20240101"
mandatory = true
)");
  ASSERT_TRUE(c.ok()) << c.error().text;
  ASSERT_EQ(c->templates.size(), 1u);
  const jobs::JobTemplate& t = c->templates[0];
  EXPECT_EQ(t.name, "/Z/NIGHTLY");
  EXPECT_EQ(t.version, "1");
  EXPECT_EQ(t.report_name, "ZLOAD");
  EXPECT_TRUE(t.supports_test_mode);
  EXPECT_EQ(t.allowed_users, std::vector<std::string>{"PLANNER"});
  ASSERT_EQ(t.steps.size(), 1u);
  EXPECT_EQ(t.steps[0].argv, (std::vector<std::string>{"/bin/echo", "hi"}));
  EXPECT_EQ(t.steps[0].env.at("TARGET"), "prod");
  EXPECT_EQ(t.steps[0].timeout.count(), 60);
  EXPECT_EQ(t.steps[0].catalog_entry_name, "/Z/NIGHTLY");
  ASSERT_EQ(t.parameters.size(), 1u);
  EXPECT_TRUE(t.parameters[0].mandatory);
  EXPECT_EQ(t.parameters[0].defaults[0].low, "20240101");
}

TEST(JobsConfigTest, WorkersDemoAndCommandSwitch) {
  auto c = Parse("[jobs]\nworkers = 7\ndemo_templates = true\n[control]\nruntime_command_templates = true\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->workers, 7);
  EXPECT_TRUE(c->demo_templates);
  EXPECT_TRUE(c->allow_command_templates);
  auto d = Parse("");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->workers, 4);
  EXPECT_FALSE(d->allow_command_templates);
}

TEST(JobsConfigTest, NodeLeasesAndCache) {
  auto c = Parse(
      "[jobs]\nnode_id = \"node-7\"\nlease_ms = 8000\nlease_renewal_ms = 1000\nclaim_interval_ms = 50\n"
      "recovery_interval_ms = 3000\ncache_reads = false\nfeed_cache = false\ncache_capacity = 100\n");
  ASSERT_TRUE(c.ok()) << c.error().text;
  EXPECT_EQ(c->node_id, "node-7");
  EXPECT_EQ(c->lease.count(), 8000);
  EXPECT_EQ(c->lease_renewal.count(), 1000);
  EXPECT_EQ(c->claim_interval.count(), 50);
  EXPECT_EQ(c->recovery_interval.count(), 3000);
  EXPECT_EQ(c->cache_reads, std::optional<bool>(false));
  EXPECT_EQ(c->cache_capacity, 100);
  EXPECT_FALSE(c->feed_cache);
  auto d = Parse("");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->node_id, "");
  EXPECT_EQ(d->lease.count(), 5000);
  EXPECT_EQ(d->lease_renewal.count(), 500);
  EXPECT_FALSE(d->cache_reads.has_value());  // chosen by the store's back end
  EXPECT_TRUE(d->feed_cache);
  struct Case {
    const char* text;
    const char* expect;
  } bad[] = {
      {"[jobs]\nlease_ms = 0\n", "[jobs] lease_ms: must be an integer from 1 to 86400000"},
      {"[jobs]\nlease_ms = 1000\nlease_renewal_ms = 600\n", "at most half of lease_ms"},
      {"[jobs]\nworkers = 0\n", "[jobs] workers: must be an integer from 1"},
      {"[jobs]\nworkers = \"4\"\n", "[jobs] workers: must be an integer from 1"},
      {"[jobs]\ncache_capacity = 0\n", "[jobs] cache_capacity: must be an integer from 1"},
      {"[jobs]\ncache_reads = \"yes\"\n", "[jobs] cache_reads: must be true or false"},
      {"[jobs]\nworker = 4\n", "[jobs] worker: is not a known setting"},
      {"[control]\nruntime_command_template = true\n", "[control] runtime_command_template: is not a known setting"},
      {"[jobs]\ntemplates = 1\n", "[[jobs.templates]] must be an array of tables"},
  };
  for (const auto& b : bad) {
    auto r = Parse(b.text);
    ASSERT_FALSE(r.ok()) << b.text;
    EXPECT_NE(r.error().text.find(b.expect), std::string::npos) << r.error().text;
  }
}

TEST(JobsConfigTest, ErrorsNameTheTemplate) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"[[jobs.templates]]\nsteps = [{ kind = \"noop\" }]\n", "name must have 1-40"},
      {"[[jobs.templates]]\nname = \"Z1\"\nsteps = [{ kind = \"command\" }]\n",
       "template Z1: Command step of template Z1 has no argv"},
      {"[[jobs.templates]]\nname = \"Z2\"\n", "template Z2: steps must be a non-empty array"},
      {"[[jobs.templates]]\nname = \"Z3\"\nsteps = [{ kind = \"noop\" }]\nparameters = [{ step = 1 }]\n",
       "template Z3: Parameter '' of template Z3 has an invalid name"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().text.find(c.expect), std::string::npos) << r.error().text;
  }
}

}  // namespace
}  // namespace causeway::services::appjob
