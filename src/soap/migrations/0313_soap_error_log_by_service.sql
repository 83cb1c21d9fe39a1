-- The error log is purged per service (ErrorLog::PurgeIn: older than its retention, beyond its
-- max_entries), and the message monitor filters faults by service.
CREATE INDEX soap_error_log_service_at ON soap_error_log (service, logged_at);
