# causeway_embed_text(OUT_CPP FILE NAMESPACE FN): writes OUT_CPP defining
#   const std::string& NAMESPACE::FN();
# returning FILE's contents, so that a file (the WSDL) ships inside the binary unchanged.
function(causeway_embed_text out_cpp file namespace fn)
  file(READ "${file}" text)
  file(CONFIGURE OUTPUT "${out_cpp}"
       CONTENT "#include <string>\nnamespace ${namespace} {\nconst std::string& ${fn}() {\n  static const std::string kText = R\"__embedded__(${text})__embedded__\";\n  return kText;\n}\n}  // namespace ${namespace}\n"
       @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
endfunction()
