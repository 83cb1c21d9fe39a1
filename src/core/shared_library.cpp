#include "core/shared_library.h"

#include <dlfcn.h>

namespace causeway::core {

bool SharedLibrary::Open() const {
  std::call_once(once_, [this] {
    // RTLD_LOCAL: nothing else binds to its symbols by accident.
    handle_ = dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* err = dlerror();
      why_ = err != nullptr ? err : "cannot open " + soname_;
    }
  });
  return handle_ != nullptr;
}

const std::string& SharedLibrary::why() const {
  Open();
  return why_;
}

void* SharedLibrary::Symbol(const char* name) const { return Open() ? dlsym(handle_, name) : nullptr; }

}  // namespace causeway::core
