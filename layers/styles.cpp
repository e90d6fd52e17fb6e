#include "layers/styles.hpp"

#include "geo/error.hpp"
#include "layers/export.hpp"

#include <ogr_spatialref.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sitmap {
namespace fs = std::filesystem;
namespace {

std::string xml_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        default: o += c;
        }
    }
    return o;
}

// The children of the QML's <qgis> element.
std::string qml_body(const std::string& qml) {
    const auto open = qml.find("<qgis");
    if (open == std::string::npos) return "";
    const auto start = qml.find('>', open);
    const auto end = qml.rfind("</qgis>");
    if (start == std::string::npos || end == std::string::npos || end < start) return "";
    return qml.substr(start + 1, end - start - 1);
}

std::string geometry_word(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint: return "Point";
    case wkbLineString:
    case wkbMultiLineString: return "Line";
    case wkbPolygon:
    case wkbMultiPolygon: return "Polygon";
    default: return "No geometry";
    }
}

std::string wgs84_srs_xml() {
    OGRSpatialReference s;
    s.importFromEPSG(4326);
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
    s.exportToWkt(&wkt, opts);
    std::string w = wkt ? wkt : "";
    CPLFree(wkt);
    return "<spatialrefsys><wkt>" + xml_escape(w) +
           "</wkt><proj4>+proj=longlat +datum=WGS84 +no_defs</proj4><srsid>3452</srsid>"
           "<srid>4326</srid><authid>EPSG:4326</authid><description>WGS 84</description>"
           "<projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:7030"
           "</ellipsoidacronym><geographicflag>true</geographicflag></spatialrefsys>";
}

} // namespace

std::string style_qml(const std::string& layer, const std::string& styles_dir, bool shapefile) {
    const fs::path p = fs::path(styles_dir) / (layer + ".qml");
    if (!fs::exists(p)) return "";
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    std::string qml = s.str();
    if (shapefile) {
        for (const char* field : {"subcategory", "period_start", "period_end", "destination",
                                  "admin1_pcode", "located_how", "centre_name", "source_code",
                                  "parallel_legs", "candidate_id"}) {
            const std::string from = std::string("\"") + field + "\"";
            const std::string to = "\"" + shapefile_field_name(field) + "\"";
            for (auto pos = qml.find(from); pos != std::string::npos; pos = qml.find(from, pos))
                qml.replace(pos, from.size(), to);
        }
    }
    return qml;
}

Layer make_layer_styles(const std::vector<Layer>& layers, const std::string& styles_dir) {
    Layer l;
    l.name = "layer_styles";
    l.geometry_type = wkbNone;
    l.fields = {{"f_table_catalog", FieldType::string, ""}, {"f_table_schema", FieldType::string, ""},
                {"f_table_name", FieldType::string, ""},    {"f_geometry_column", FieldType::string, ""},
                {"styleName", FieldType::string, ""},       {"styleQML", FieldType::string, ""},
                {"styleSLD", FieldType::string, ""},        {"useAsDefault", FieldType::integer, ""},
                {"description", FieldType::string, ""},     {"owner", FieldType::string, ""},
                {"ui", FieldType::string, ""},              {"update_time", FieldType::string, ""}};
    for (const auto& layer : layers) {
        const std::string qml = style_qml(layer.name, styles_dir);
        if (qml.empty()) continue;
        Feature f;
        f.values = {std::string(), std::string(), layer.name,
                    std::string(layer.geometry_type == wkbNone ? "" : "geom"),
                    "sitmap " + layer.name, qml, std::string(), std::int64_t{1},
                    "sitmap default style for the " + layer.name + " layer", std::string(),
                    std::string(), std::string("2024-01-01T00:00:00Z")};
        l.features.push_back(std::move(f));
    }
    return l;
}

void write_qgs_project(const std::string& path, const std::string& gpkg,
                       const std::vector<Layer>& layers, const std::string& styles_dir) {
    const std::string srs = wgs84_srs_xml();
    std::string tree, maps, order;
    // The layer tree lists the layer drawn on top first: the last map layer, down to the first
    // (the background), then the tables.
    std::vector<const Layer*> tree_order;
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        if (it->geometry_type != wkbNone) tree_order.push_back(&*it);
    for (const auto& l : layers)
        if (l.geometry_type == wkbNone) tree_order.push_back(&l);
    for (const Layer* lp : tree_order) {
        const Layer& l = *lp;
        const std::string id = "sitmap_" + l.name;
        const std::string src = "./" + gpkg + "|layername=" + l.name;
        tree += "    <layer-tree-layer id=\"" + id + "\" name=\"" + l.name + "\" source=\"" +
                xml_escape(src) + "\" providerKey=\"ogr\" checked=\"" +
                std::string(l.geometry_type == wkbNone || l.name == "other_figures"
                                ? "Qt::Unchecked"
                                : "Qt::Checked") +
                "\" expanded=\"0\"><customproperties/></layer-tree-layer>\n";
        order += "      <item>" + id + "</item>\n";
        maps += "    <maplayer type=\"vector\" geometry=\"" + geometry_word(l.geometry_type) +
                "\" wkbType=\"" + std::string(OGRGeometryTypeToName(l.geometry_type)) +
                "\">\n      <id>" + id + "</id>\n      <datasource>" + xml_escape(src) +
                "</datasource>\n      <layername>" + l.name + "</layername>\n      <srs>" + srs +
                "</srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n" +
                qml_body(style_qml(l.name, styles_dir)) + "\n    </maplayer>\n";
    }
    std::string xml =
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        "<qgis projectname=\"sitmap atlas\" version=\"3.22.16-Białowieża\">\n"
        "  <homePath path=\"\"/>\n  <title>sitmap atlas</title>\n"
        "  <projectCrs>" + srs + "</projectCrs>\n"
        "  <layer-tree-group>\n    <customproperties/>\n" + tree +
        "    <custom-order enabled=\"0\">\n" + order + "    </custom-order>\n"
        "  </layer-tree-group>\n"
        "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
        "    <units>degrees</units>\n    <extent><xmin>34.5</xmin><ymin>31.0</ymin>"
        "<xmax>43.0</xmax><ymax>37.6</ymax></extent>\n"
        "    <rotation>0</rotation>\n    <destinationsrs>" + srs + "</destinationsrs>\n"
        "  </mapcanvas>\n"
        "  <projectlayers>\n" + maps + "  </projectlayers>\n"
        "  <properties>\n    <Paths><Absolute type=\"bool\">false</Absolute></Paths>\n"
        "  </properties>\n</qgis>\n";
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary);
        f << xml;
        if (!f.flush()) throw WorkError("cannot write '" + path + "'");
    }
    fs::rename(tmp, path);
}

} // namespace sitmap
