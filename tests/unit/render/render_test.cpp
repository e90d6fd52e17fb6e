#include "geo/error.hpp"
#include "geo/utf8.hpp"
#include "layers/atlas.hpp"
#include "layers/render/display_list.hpp"
#include "layers/render/render.hpp"
#include "tests/unit/support/embedded_atlas.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

using namespace sitmap;
using namespace sitmap::render;

namespace {

// The atlas of the embedded data, as `sitmap build` writes it.
const std::vector<Layer> &atlas() { return testing::embedded_atlas().atlas.layers; }

std::string out_path(const std::string &name) {
    const auto dir = std::filesystem::temp_directory_path() / "sitmap_render_test";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

std::string read(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The furniture boxes lie on the page and none overlaps another or the frame.
void check_layout(const RenderReport &r, const RenderOptions &opt) {
    const Box page{0, 0, opt.width * 72.0 / opt.dpi, opt.height * 72.0 / opt.dpi};
    const auto &b = r.boxes;
    const std::vector<std::pair<const char *, Box>> boxes = {{"title", b.title},
                                                             {"frame", b.frame},
                                                             {"legend", b.legend},
                                                             {"scale bar", b.scale_bar},
                                                             {"north arrow", b.north_arrow},
                                                             {"attribution", b.attribution}};
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        INFO(boxes[i].first);
        CHECK(boxes[i].second.width() > 0);
        CHECK(boxes[i].second.height() > 0);
        CHECK(page.contains(boxes[i].second));
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
            INFO(boxes[j].first);
            CHECK(!boxes[i].second.overlaps(boxes[j].second));
        }
    }
}

} // namespace

TEST_CASE("legend, scale bar, north arrow and attribution never overlap", "[render]") {
    struct Size {
        int w, h;
        double dpi;
    };
    for (const Size s : {Size{1600, 1200, 150}, Size{800, 400, 72}, Size{400, 300, 72},
                         Size{800, 600, 72}, Size{600, 300, 72}}) {
        INFO(s.w << "x" << s.h << " at " << s.dpi);
        RenderOptions opt;
        opt.width = s.w, opt.height = s.h, opt.dpi = s.dpi;
        try {
            const RenderReport r = render_map(atlas(), opt, out_path("layout.svg"));
            check_layout(r, opt);
            CHECK(!r.legend.empty());
        } catch (const UsageError &e) { // a page too small says so, and draws nothing
            CHECK(std::string(e.what()).find("too small for the legend") != std::string::npos);
            CHECK(s.w * 72.0 / s.dpi < 800);
        }
    }
    // 800 x 400 points: the legend fits in its short wording.
    RenderOptions opt;
    opt.width = 800, opt.height = 400, opt.dpi = 72;
    const RenderReport r = render_map(atlas(), opt, out_path("short.svg"));
    check_layout(r, opt);
}

TEST_CASE("a title of two lines moves the frame down", "[render]") {
    RenderOptions opt;
    opt.width = 1000, opt.height = 800, opt.dpi = 100;
    opt.title = "Reported returns of displaced people per governorate of Syria, with the flows "
                "of returns from the neighbouring countries and the crossings they name";
    const RenderReport r = render_map(atlas(), opt, out_path("title.png"));
    CHECK(r.boxes.title.height() > 40); // two lines of 14 points and the subtitle
    CHECK(r.boxes.title.y1 <= r.boxes.frame.y0);
    check_layout(r, opt);
    opt.title = "First line\nSecond line";
    const RenderReport r2 = render_map(atlas(), opt, out_path("title.svg"));
    CHECK(r2.boxes.title.y1 <= r2.boxes.frame.y0);
}

TEST_CASE("the scale bar of a small box fits the page", "[render]") {
    RenderOptions opt;
    opt.bbox = LonLatBox{36.28, 33.50, 36.30, 33.52};
    const RenderReport r = render_map(atlas(), opt, out_path("small.svg"));
    check_layout(r, opt);
    const std::string svg = read(out_path("small.svg"));
    CHECK(svg.find(" m</text>") != std::string::npos); // labelled in metres
}

TEST_CASE("flows outside the view are neither drawn nor in the legend", "[render]") {
    RenderOptions opt;
    opt.bbox = LonLatBox{0, 0, 1, 1};
    const RenderReport r = render_map(atlas(), opt, out_path("outside.svg"));
    CHECK(r.flows == 0);
    CHECK(r.flows_too_short.empty());
    CHECK(r.flows_outside > 0);
    CHECK(r.labels_left_out.empty()); // the zone's label is not tried outside the view
    CHECK(std::find(r.legend.begin(), r.legend.end(), "Flows") == r.legend.end());
    CHECK(std::find(r.legend.begin(), r.legend.end(), "al-Tanf 55 km zone") == r.legend.end());

    const RenderReport all = render_map(atlas(), RenderOptions{}, out_path("all.svg"));
    CHECK(all.flows + all.flows_too_short.size() == r.flows_outside);
    CHECK(std::find(all.legend.begin(), all.legend.end(), "Flows") != all.legend.end());
}

TEST_CASE("the SVG hatch is the map's, one pattern, halos drawn before their text", "[render]") {
    render_map(atlas(), RenderOptions{}, out_path("hatch.svg"));
    const std::string svg = read(out_path("hatch.svg"));
    const std::string id = "hatch-" + kHatchColor.hex().substr(1);
    CHECK(svg.find("<pattern id=\"" + id + "\"") != std::string::npos);
    CHECK(svg.find("<pattern", svg.find("<pattern") + 1) == std::string::npos);
    CHECK(svg.find("stroke=\"" + kHatchColor.hex() + "\"") != std::string::npos);
    CHECK(svg.find("paint-order") == std::string::npos);
    const auto halo = svg.find("class=\"label-halo\"");
    REQUIRE(halo != std::string::npos);
    CHECK(svg.find("class=\"label\"", halo) != std::string::npos);
}

TEST_CASE("bad text becomes U+FFFD before it reaches Pango or the SVG", "[render]") {
    CHECK(displayable_utf8("caf\xe9") == "caf\xEF\xBF\xBD");
    CHECK(displayable_utf8("a\x01z") == "a\xEF\xBF\xBDz");
    CHECK(displayable_utf8("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
    CHECK(displayable_utf8("\xD8\xB9\xD9\x88\xD8\xAF\xD8\xA9") ==
          "\xD8\xB9\xD9\x88\xD8\xAF\xD8\xA9");
    CHECK(displayable_utf8("\xEF\xBF\xBF") == "\xEF\xBF\xBD");
    CHECK(is_valid_utf8(displayable_utf8("\xC0\xAF\xED\xA0\x80\xF5")));
    RenderOptions opt;
    opt.title = "A &<>\" \x01 caf\xe9";
    render_map(atlas(), opt, out_path("text.svg"));
    const std::string svg = read(out_path("text.svg"));
    CHECK(is_valid_utf8(svg));
    CHECK(svg.find("A &amp;&lt;&gt;&quot; \xEF\xBF\xBD caf\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("bad options and outputs are usage errors, and leave no file", "[render]") {
    RenderOptions opt;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const LonLatBox b :
         {LonLatBox{nan, 33, 37, 34}, LonLatBox{-180, -90, 180, 90}, LonLatBox{35, 33, 36, nan}}) {
        opt.bbox = b;
        CHECK_THROWS_AS(render_map(atlas(), opt, out_path("bad.png")), UsageError);
    }
    opt.bbox.reset();
    opt.from = "2019-01-01", opt.to = "2018-01-01";
    CHECK_THROWS_AS(check_options(opt), UsageError);
    opt = RenderOptions{};
    const std::string missing = out_path("no-such-folder/map.png");
    CHECK_THROWS_WITH(render_map(atlas(), opt, missing), Catch::Contains("-o"));
    CHECK(!std::filesystem::exists(missing));
    const std::string dir = out_path("folder.png");
    std::filesystem::create_directories(dir);
    CHECK_THROWS_AS(render_map(atlas(), opt, dir), UsageError);
    CHECK(!std::filesystem::exists(out_path("bad.png")));
}

TEST_CASE("a bad atlas is an input error naming the file", "[render]") {
    std::vector<Layer> a = atlas();
    for (auto &l : a)
        if (l.name == "flows")
            for (auto &f : l.fields)
                if (f.name == "value")
                    f.name = "amount";
    CHECK_THROWS_WITH(render_map(a, RenderOptions{}, out_path("bad.png"), "my.gpkg"),
                      Catch::Contains("my.gpkg") && Catch::Contains("no field 'value'"));
    std::vector<Layer> regions_only;
    for (const auto &l : atlas())
        if (l.name == "regions")
            regions_only.push_back(l);
    CHECK_THROWS_AS(render_map(regions_only, RenderOptions{}, out_path("bad.png"), "my.gpkg"),
                    InputError);
    CHECK_THROWS_WITH(render_map(regions_only, RenderOptions{}, out_path("bad.png"), "my.gpkg"),
                      Catch::Contains("my.gpkg") && !Catch::Contains("--category"));
    regions_only[0].features.clear();
    CHECK_THROWS_AS(render_map(regions_only, RenderOptions{}, out_path("bad.png"), "my.gpkg"),
                    InputError);
}
