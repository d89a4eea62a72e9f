//! The program's own words as types (organizations, areas, periods, reports, stars, standings)
//! and a year of data read from and written to the flat CSV, or an Excel workbook.

pub mod model;
#[cfg(feature = "xlsx")]
pub mod workbook;
pub mod year;
pub mod year_columns;
