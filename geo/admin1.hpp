#pragma once
// Syria's governorates and their codes: ISO 3166-2:SY (the key), OCHA COD-AB p-codes, and the
// FIPS codes that Natural Earth and GeoNames use (SY01 is al-Hasakah there, Damascus for OCHA).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitmap {

struct Admin1 {
    std::string iso;        // SY-DR
    std::string name;       // Daraa
    std::string name_ar;
    std::string ocha_pcode; // SY12
    std::string fips;       // SY06
    std::string natural_earth_name;
};

class Admin1Table {
public:
    // Reads data/admin1.csv; throws InputError naming the file and line.
    static Admin1Table load(const std::string& path);

    const std::vector<Admin1>& all() const { return rows_; }
    const Admin1* by_iso(std::string_view iso) const;
    // Accepts "SY06" or GeoNames' bare "06".
    const Admin1* by_fips(std::string_view fips) const;
    const Admin1* by_pcode(std::string_view pcode) const;

private:
    std::vector<Admin1> rows_;
};

} // namespace sitmap
