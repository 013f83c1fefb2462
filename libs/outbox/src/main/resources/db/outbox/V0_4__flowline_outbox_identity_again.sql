-- Back to plain identity ids (V0_3 undone): Hibernate Reactive's pooled sequence generator left a transaction hanging
-- after nextval under load, so outbox ids are assigned by the database again, one insert at a time.
alter table outbox alter column seq set increment by 1;
alter table outbox alter column seq set generated always;
