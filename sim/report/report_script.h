// Running the report's Python script (scripts/report/make_report.py), which
// turns a sweep's results into the HTML page, the Markdown and the figures.
#pragma once

#include <string>

namespace qmac::cli {

struct ReportScript {
  std::string python; // the interpreter: Debian's, for python3-matplotlib
  std::string script; // make_report.py
};

// The interpreter ($QMAC_PYTHON, else /usr/bin/python3) and the script
// ($QMAC_REPORT_SCRIPT, else the source tree's, fixed at build time).
ReportScript find_report_script();

// Runs the script on results_dir, writing into out_dir, with qmac_binary for
// its `qmac cost` and `qmac formats` calls. The script's stdout passes
// through; its stderr is shown too, and if it fails (or cannot start) a
// cost::ToolError (exit status 1) quotes its last line.
void run_report_script(const ReportScript& s, const std::string& results_dir,
                       const std::string& out_dir, const std::string& qmac_binary);

} // namespace qmac::cli
