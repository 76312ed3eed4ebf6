package catalog

// CatalogType is how a catalog is backed.
type CatalogType string

func (CatalogType) EnumValues() []string {
	return []string{"DELTASHARING_CATALOG", "FOREIGN_CATALOG", "INTERNAL_CATALOG", "MANAGED_CATALOG", "MANAGED_ONLINE_CATALOG", "SYSTEM_CATALOG"}
}

// CatalogIsolationMode says whether a catalog is reachable from every
// workspace of the metastore (OPEN) or only from bound ones (ISOLATED).
type CatalogIsolationMode string

func (CatalogIsolationMode) EnumValues() []string { return []string{"ISOLATED", "OPEN"} }

// EnablePredictiveOptimization is a securable's predictive optimization setting.
type EnablePredictiveOptimization string

func (EnablePredictiveOptimization) EnumValues() []string {
	return []string{"DISABLE", "ENABLE", "INHERIT"}
}

// InheritedFromType names the kind of parent a setting was inherited from.
type InheritedFromType string

func (InheritedFromType) EnumValues() []string { return []string{"CATALOG", "SCHEMA"} }

// TableType is the kind of a table.
type TableType string

func (TableType) EnumValues() []string {
	return []string{"EXTERNAL", "EXTERNAL_SHALLOW_CLONE", "FOREIGN", "MANAGED", "MANAGED_SHALLOW_CLONE", "MATERIALIZED_VIEW", "METRIC_VIEW", "STREAMING_TABLE", "VIEW"}
}

// DataSourceFormat is the storage format of a table.
type DataSourceFormat string

func (DataSourceFormat) EnumValues() []string {
	return []string{
		"AVRO", "BIGQUERY_FORMAT", "CSV", "DATABRICKS_FORMAT", "DATABRICKS_ROW_STORE_FORMAT", "DELTA",
		"DELTASHARING", "DELTA_UNIFORM_HUDI", "DELTA_UNIFORM_ICEBERG", "HIVE", "ICEBERG", "JSON",
		"MONGODB_FORMAT", "MYSQL_FORMAT", "NETSUITE_FORMAT", "ORACLE_FORMAT", "ORC", "PARQUET",
		"POSTGRESQL_FORMAT", "REDSHIFT_FORMAT", "SALESFORCE_DATA_CLOUD_FORMAT", "SALESFORCE_FORMAT",
		"SNOWFLAKE_FORMAT", "SQLDW_FORMAT", "SQLSERVER_FORMAT", "TERADATA_FORMAT", "TEXT",
		"UNITY_CATALOG", "VECTOR_INDEX_FORMAT", "WORKDAY_RAAS_FORMAT",
	}
}

// ColumnTypeName is the base type of a column or function parameter.
type ColumnTypeName string

func (ColumnTypeName) EnumValues() []string {
	return []string{
		"ARRAY", "BINARY", "BOOLEAN", "BYTE", "CHAR", "DATE", "DECIMAL", "DOUBLE", "FLOAT", "GEOGRAPHY",
		"GEOMETRY", "INT", "INTERVAL", "LONG", "MAP", "NULL", "SHORT", "STRING", "STRUCT", "TABLE_TYPE",
		"TIMESTAMP", "TIMESTAMP_NTZ", "USER_DEFINED_TYPE", "VARIANT",
	}
}

// VolumeType says who manages a volume's storage.
type VolumeType string

func (VolumeType) EnumValues() []string { return []string{"EXTERNAL", "MANAGED"} }

// RoutineBody is the language of a function's body.
type RoutineBody string

func (RoutineBody) EnumValues() []string { return []string{"EXTERNAL", "SQL"} }

// ParameterStyle is a function's parameter style.
type ParameterStyle string

func (ParameterStyle) EnumValues() []string { return []string{"S"} }

// SecurityType is a function's security type.
type SecurityType string

func (SecurityType) EnumValues() []string { return []string{"DEFINER"} }

// SQLDataAccess says how a function uses SQL.
type SQLDataAccess string

func (SQLDataAccess) EnumValues() []string {
	return []string{"CONTAINS_SQL", "NO_SQL", "READS_SQL_DATA"}
}

// ParameterMode is a function parameter's mode.
type ParameterMode string

func (ParameterMode) EnumValues() []string { return []string{"IN"} }

// ParameterType says whether a function parameter is a parameter or a
// column of a table-valued result.
type ParameterType string

func (ParameterType) EnumValues() []string { return []string{"COLUMN", "PARAM"} }

// ProvisioningState is the provisioning state of a securable.
type ProvisioningState string

func (ProvisioningState) EnumValues() []string {
	return []string{"ACTIVE", "DEGRADED", "DELETING", "FAILED", "PROVISIONING", "UPDATING"}
}
