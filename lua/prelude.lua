-- prelude.lua: helpers every rule can use, shipped rules and users' rules alike.
-- Loaded once into the sandbox's globals before any rule file. Everything here is written
-- with the public rule API only (docs/rules.md); copy freely.

-- True when s is nil or holds only white space.
function is_blank(s)
  return s == nil or (type(s) == "string" and s:match("^%s*$") ~= nil)
end

-- The position of item in list (records compare by identity), or nil.
function index_of(list, item)
  for i, v in ipairs(list or {}) do
    if v == item then
      return i
    end
  end
  return nil
end

-- True when pred(v) holds for some v in list.
function any(list, pred)
  for _, v in ipairs(list or {}) do
    if pred(v) then
      return true
    end
  end
  return false
end

-- Days from date a to date b (YYYY-MM-DD strings).
function days_between(a, b)
  return isms.days(b) - isms.days(a)
end

-- The date n months after date (n < 0: before), as "YYYY-MM-DD"; a day the target month
-- lacks becomes its last day (2026-01-31 + 1 month = 2026-02-28), as calendars count months.
function add_months(date, n)
  local y, m, d = date:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  assert(y, "add_months: not a date: " .. tostring(date))
  local months = tonumber(y) * 12 + (tonumber(m) - 1) + n
  local ty, tm = months // 12, months % 12 + 1
  local first = string.format("%04d-%02d-01", ty, tm)
  local next_first = string.format("%04d-%02d-01", (months + 1) // 12, (months + 1) % 12 + 1)
  local last_day = isms.days(next_first) - isms.days(first)
  return string.format("%04d-%02d-%02d", ty, tm, math.min(tonumber(d), last_day))
end

-- True when something due on `due` (a date, or nil) is late today: the date has passed
-- (a due date of today is not late) and its status is neither done nor cancelled.
function overdue(due, status)
  return due ~= nil and due < isms.today and status ~= "done" and status ~= "cancelled"
end
