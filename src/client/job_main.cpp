// causeway-job: the `job` command tree as its own executable (tests, scheduler agents that only
// need the client). The main `causeway` binary wires the same tree via AddJobCommand().
#include <string>
#include <vector>

#include "client/job_commands.h"

int main(int argc, char** argv) {
  return causeway::client::RunJobCli(std::vector<std::string>(argv, argv + argc));
}
