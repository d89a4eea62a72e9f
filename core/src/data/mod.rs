//! The program's own words as types (organizations, areas, periods, reports, stars, standings)
//! and a year of data read from and written to the flat CSV.

pub mod model;
pub mod year;
pub mod year_columns;
