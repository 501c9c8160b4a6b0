// qmac report as a user runs it: a small sweep, its report, and the page
// loaded in a real browser (Debian's headless Chromium) that must decode
// every image; the Markdown's images, the generated conclusion, identical
// bytes for identical results, failed points, and the error rules (exit 2
// for the user's mistakes, 1 for a missing Python or a failing script).
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>

#include "qmac_runner.h"

namespace {

namespace fs = std::filesystem;

fs::path base_dir() {
  return fs::temp_directory_path() / ("qmac_report_" + std::to_string(getpid()));
}

// A scratch directory of this test process.
std::string scratch(const std::string& name) {
  const fs::path dir = base_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

// The process's own synthesis and energy cache.
std::string env() {
  return "QMAC_CACHE_DIR=" + (base_dir() / "cache").string() + " ";
}

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// Five points: the paper's reference, FP8 into fp16, and three 4-bit
// formats (one of them a block format, which has accuracy only); small
// sample counts keep the sweep to seconds.
const char* kStudy = R"(name: report-test
points:
  - {a: int8, acc: fx+12}
  - {a: e4m3fn, acc: fp16}
  - {a: int4, acc: fx+12}
  - {a: flint4, acc: fx+12}
  - {a: mxfp4, acc: fx+12}
energy: {macs: 1024}
accuracy: {samples: 2048, dots: 8}
)";

// The sweep and its report, made once per test process.
struct Made {
  std::string sweep, report;
};

const Made& made() {
  static const Made m = [] {
    const std::string dir = scratch("made");
    const std::string config = write(dir, "study.yaml", kStudy);
    const Run s = run_qmac_env(env(), "sweep " + config + " -o " + dir + "/sweep -j 2", "");
    INFO(s.err);
    REQUIRE(s.status == 0);
    const Run r = run_qmac_env(env(), "report --from " + dir + "/sweep -o " + dir + "/report", "");
    INFO(r.err);
    REQUIRE(r.status == 0);
    return Made{dir + "/sweep", dir + "/report"};
  }();
  return m;
}

// Runs headless Chromium on a file with a time limit; returns its stdout.
std::string chromium(const std::string& args, const std::string& page) {
  const std::string out = base_dir().string() + "/chromium.out";
  const std::string profile = base_dir().string() + "/chromium-profile";
  const std::string cmd = "timeout 60 chromium --headless --no-sandbox --disable-gpu "
                          "--user-data-dir=" +
                          profile + " " + args + " file://" + page + " >" + out + " 2>/dev/null";
  const int raw = std::system(cmd.c_str());
  INFO(cmd);
  CHECK(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 0);
  return slurp(out);
}

// The page marks <body data-images="LOADED/TOTAL"> once the window loaded.
std::pair<int, int> images_loaded(const std::string& page) {
  const std::string dom = chromium("--dump-dom", page);
  std::smatch m;
  INFO(dom.substr(0, 2000));
  REQUIRE(std::regex_search(dom, m, std::regex("data-images=\"([0-9]+)/([0-9]+)\"")));
  return {std::stoi(m[1].str()), std::stoi(m[2].str())};
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

// The formats in a results.csv (its second column).
std::set<std::string> formats_in(const std::string& csv) {
  std::set<std::string> names;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line); // the header
  while (std::getline(lines, line)) {
    const size_t a = line.find(',');
    const size_t b = line.find(',', a + 1);
    if (a != std::string::npos && b != std::string::npos)
      names.insert(line.substr(a + 1, b - a - 1));
  }
  return names;
}

std::string section(const std::string& html, const std::string& id) {
  const size_t start = html.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) - start);
}

} // namespace

TEST_CASE("a report from a small sweep: the browser decodes every image, and the files agree",
          "[tool-bound]") {
  const Made& m = made();
  const std::string page = m.report + "/index.html";
  const std::string html = slurp(page);
  REQUIRE(!html.empty());

  SECTION("the page is self-contained and every image loads in headless Chromium") {
    CHECK(html.find("src=\"http") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    const size_t images = count_of(html, "<img ");
    CHECK(images >= 5);
    CHECK(count_of(html, "src=\"data:image/png;base64,") == images);
    const auto [loaded, total] = images_loaded(page);
    CHECK(total == int(images));
    CHECK(loaded == total);
  }

  SECTION("the image check catches a broken image") {
    std::string broken = html;
    broken.insert(broken.find("</body>"), "<img src=\"missing.png\" alt=\"broken\">");
    const std::string path = write(scratch("broken"), "index.html", broken);
    const auto [loaded, total] = images_loaded(path);
    CHECK(total == int(count_of(html, "<img ")) + 1);
    CHECK(loaded == total - 1);
  }

  SECTION("a screenshot of the page is a PNG") {
    const std::string shot = scratch("shot") + "/page.png";
    chromium("--screenshot=" + shot + " --window-size=1280,2000", page);
    REQUIRE(fs::exists(shot));
    CHECK(fs::file_size(shot) > 1000);
    CHECK(slurp(shot).rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  }

  SECTION("the Markdown references image files that exist") {
    const std::string md = slurp(m.report + "/report.md");
    const std::regex image(R"(!\[[^\]]*\]\(([^)]+)\))");
    size_t n = 0;
    for (auto it = std::sregex_iterator(md.begin(), md.end(), image); it != std::sregex_iterator();
         ++it, ++n) {
      const fs::path file = fs::path(m.report) / (*it)[1].str();
      INFO(file);
      CHECK(fs::is_regular_file(file));
      CHECK(fs::file_size(file) > 0);
    }
    CHECK(n == count_of(html, "<img "));
    CHECK(md.find("## Conclusion") != std::string::npos);
  }

  SECTION("the conclusion is written from the results: it names their formats") {
    const std::string conclusion = section(html, "conclusion");
    REQUIRE(!conclusion.empty());
    CHECK(count_of(conclusion, "<li>") >= 3);
    int named = 0;
    for (const std::string& f : formats_in(slurp(m.sweep + "/results.csv")))
      named += conclusion.find(f) != std::string::npos;
    CHECK(named >= 2);
    // The paper's ratios come from its data file, next to ours.
    CHECK(conclusion.find("paper&#x27;s 1.54x") != std::string::npos); // HTML-escaped
  }

  SECTION("the same results give byte-identical files") {
    const std::string again = scratch("again") + "/report";
    const Run r = run_qmac_env(env(), "report --from " + m.sweep + " -o " + again, "");
    REQUIRE(r.status == 0);
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(m.report)) {
      INFO(e.path().filename());
      CHECK(slurp(e.path().string()) == slurp(again + "/" + e.path().filename().string()));
      ++files;
    }
    CHECK(files >= 7);
  }
}

TEST_CASE("failed points and missing columns are reported, Figure 3 falls back to the model") {
  // A results file of an older or partial sweep: few columns, one failure.
  const std::string dir = scratch("partial");
  write(dir, "results.csv",
        "id,a,b,acc,pipeline,array,dataflow,workload,status,error,note,area_nand2,"
        "sqnr_a_gaussian,sqnr_b_gaussian\n"
        "0000000000000001,int8,int8,fx+12,1,16x16,ws,bert-base,ok,,,1346,40.9,40.9\n"
        "0000000000000002,e4m3fn,e4m3fn,fp16,1,16x16,ws,bert-base,error,yosys crashed here,,,,\n");
  // No Yosys on the PATH: Figure 3 keeps qmac's analytical counts.
  const Run r = run_qmac_env(env() + "PATH=/nonexistent ",
                             "report --from " + dir + " -o " + dir + "/report", "");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string html = slurp(dir + "/report/index.html");
  const std::string errors = section(html, "errors");
  CHECK(errors.find("0000000000000002") != std::string::npos);
  CHECK(errors.find("yosys crashed here") != std::string::npos);
  CHECK(errors.find("for Figure 3") != std::string::npos);
  // The model's total of int8 -> fx+12 (726) stands next to the paper's 719.
  const std::string figure3 = section(html, "figure3");
  CHECK(figure3.find("<td>719</td><td>726</td>") != std::string::npos);
}

TEST_CASE("a missing results directory or results.csv is a user error naming it") {
  const std::string dir = scratch("missing");
  expect_user_error(run_qmac("report --from " + dir + "/nowhere -o " + dir + "/out", ""),
                    dir + "/nowhere");
  expect_user_error(run_qmac("report --from " + dir + " -o " + dir + "/out", ""),
                    dir + "/results.csv");
  expect_user_error(run_qmac("report --from " + dir, ""), "-o");
}

TEST_CASE("a missing Python or a failing script exits 1 quoting the last line") {
  const std::string dir = scratch("failing");
  write(dir, "results.csv", "id,a,b,acc,status\n");
  const Run no_python = run_qmac_env("QMAC_PYTHON=" + dir + "/python3 ",
                                     "report --from " + dir + " -o " + dir + "/out", "");
  CHECK(no_python.status == 1);
  CHECK(no_python.err.find("cannot run " + dir + "/python3") != std::string::npos);
  const std::string script = write(dir, "broken.py",
                                   "import sys\nprint('working', file=sys.stderr)\n"
                                   "raise SystemExit('broken: the figures cannot be drawn')\n");
  const Run broken = run_qmac_env("QMAC_REPORT_SCRIPT=" + script + " ",
                                  "report --from " + dir + " -o " + dir + "/out", "");
  CHECK(broken.status == 1);
  INFO(broken.err);
  CHECK(broken.err.find("working") != std::string::npos);
  CHECK(broken.err.find("failed (exit status 1): 'broken: the figures cannot be drawn'") !=
        std::string::npos);
}
