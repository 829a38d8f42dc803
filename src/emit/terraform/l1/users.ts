import {
  ComplexList,
  ComplexObject,
  type IInterpolatingParent,
  type IResolvable,
  type TerraformMetaArguments,
} from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleDataSource } from './base';
import { type FieldTable, str } from './fields';

/** User look-ups: `data.tailscale_user` and `data.tailscale_users`. */

/** Read-only attributes of a user, shared by `data.tailscale_user` and each `data.tailscale_users` entry. */
export interface TailscaleUserAttributes {
  readonly id: string;
  /** Login name (email-like). */
  readonly loginName: string;
  readonly displayName: string;
  readonly profilePicUrl: string;
  /** ID of the tailnet the user belongs to. */
  readonly tailnetId: string;
  /** owner, admin, member, it-admin, network-admin, billing-admin or auditor. */
  readonly role: string;
  /** active, idle, suspended, needs-approval or over-billing-limit. */
  readonly status: string;
  /** "member" or "shared". */
  readonly type: string;
  readonly created: string;
  readonly lastSeen: string;
  readonly currentlyConnected: IResolvable;
  readonly deviceCount: number;
}

// --------------------------------------------------------------------------------------- data tailscale_user

/** Set exactly one of `id` or `loginName`. */
export interface DataTailscaleUserConfig extends TerraformMetaArguments {
  /** User ID to look up (`id`). @default - look up by `loginName` */
  readonly id?: string;
  /** Login name to look up (`login_name`). @default - look up by `id` */
  readonly loginName?: string;
}

const USER_FIELDS: FieldTable<AttributesOf<DataTailscaleUserConfig>> = {
  id: str('id'),
  loginName: str('login_name'),
};

/** `data.tailscale_user`: one user by ID or login name. */
export class DataTailscaleUser extends TailscaleDataSource<DataTailscaleUserConfig> implements TailscaleUserAttributes {
  static readonly tfResourceType = 'tailscale_user';

  constructor(scope: Construct, id: string, config: DataTailscaleUserConfig) {
    super(scope, id, DataTailscaleUser.tfResourceType, USER_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
  get loginName(): string {
    return this.getStringAttribute('login_name');
  }
  get displayName(): string {
    return this.getStringAttribute('display_name');
  }
  get profilePicUrl(): string {
    return this.getStringAttribute('profile_pic_url');
  }
  get tailnetId(): string {
    return this.getStringAttribute('tailnet_id');
  }
  get role(): string {
    return this.getStringAttribute('role');
  }
  get status(): string {
    return this.getStringAttribute('status');
  }
  get type(): string {
    return this.getStringAttribute('type');
  }
  get created(): string {
    return this.getStringAttribute('created');
  }
  get lastSeen(): string {
    return this.getStringAttribute('last_seen');
  }
  get currentlyConnected(): IResolvable {
    return this.getBooleanAttribute('currently_connected');
  }
  get deviceCount(): number {
    return this.getNumberAttribute('device_count');
  }
}

// -------------------------------------------------------------------------------------- data tailscale_users

export interface DataTailscaleUsersConfig extends TerraformMetaArguments {
  /** Only users of this type: "member" or "shared" (`type`). @default - all types */
  readonly type?: 'member' | 'shared' | (string & {});
  /**
   * Only users with this role: owner, member, admin, it-admin, network-admin, billing-admin or auditor (`role`).
   * @default - all roles
   */
  readonly role?: string;
}

const USERS_FIELDS: FieldTable<AttributesOf<DataTailscaleUsersConfig>> = {
  type: str('type'),
  role: str('role'),
};

/** One entry of `data.tailscale_users.users` (read-only). */
export class DataTailscaleUsersUserOutputReference extends ComplexObject implements TailscaleUserAttributes {
  constructor(parent: IInterpolatingParent, attribute: string, index: number, isFromSet: boolean) {
    super(parent, attribute, isFromSet, index);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
  get loginName(): string {
    return this.getStringAttribute('login_name');
  }
  get displayName(): string {
    return this.getStringAttribute('display_name');
  }
  get profilePicUrl(): string {
    return this.getStringAttribute('profile_pic_url');
  }
  get tailnetId(): string {
    return this.getStringAttribute('tailnet_id');
  }
  get role(): string {
    return this.getStringAttribute('role');
  }
  get status(): string {
    return this.getStringAttribute('status');
  }
  get type(): string {
    return this.getStringAttribute('type');
  }
  get created(): string {
    return this.getStringAttribute('created');
  }
  get lastSeen(): string {
    return this.getStringAttribute('last_seen');
  }
  get currentlyConnected(): IResolvable {
    return this.getBooleanAttribute('currently_connected');
  }
  get deviceCount(): number {
    return this.getNumberAttribute('device_count');
  }
}

/** `data.tailscale_users.users`: index with `get(i)` or iterate with `TerraformIterator.fromComplexList`. */
export class DataTailscaleUsersUserList extends ComplexList {
  get(index: number): DataTailscaleUsersUserOutputReference {
    return new DataTailscaleUsersUserOutputReference(
      this.terraformResource,
      this.terraformAttribute,
      index,
      this.wrapsSet,
    );
  }
}

/** `data.tailscale_users`: users of the tailnet, optionally filtered by type and role. */
export class DataTailscaleUsers extends TailscaleDataSource<DataTailscaleUsersConfig> {
  static readonly tfResourceType = 'tailscale_users';

  /** The users found (`users`, read-only list block). */
  readonly users: DataTailscaleUsersUserList;

  constructor(scope: Construct, id: string, config: DataTailscaleUsersConfig = {}) {
    super(scope, id, DataTailscaleUsers.tfResourceType, USERS_FIELDS, config);
    this.users = new DataTailscaleUsersUserList(this, 'users', false);
  }

  /** Random UUID generated on each read. */
  get id(): string {
    return this.getStringAttribute('id');
  }
}
