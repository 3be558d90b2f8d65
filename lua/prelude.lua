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
